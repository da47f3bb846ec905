/**
 * Taro draws the H5 title bar's back and home controls as bare divs with an icon: a screen reader
 * reads nothing and the keyboard cannot reach them. They get the role, name and focus of the
 * buttons they are (weapp has WeChat's own bar, so this is H5 only).
 */
const CONTROLS: Array<[selector: string, label: string]> = [
  ['.taro-navigation-bar-back', '返回'],
  ['.taro-navigation-bar-home', '回到首页'],
];

export function labelNavigationBar(root: ParentNode = document): number {
  let labelled = 0;
  for (const [selector, label] of CONTROLS) {
    const el = root.querySelector<HTMLElement>(selector);
    if (!el || el.getAttribute('role') === 'button') continue;
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', label);
    el.tabIndex = 0;
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        el.click();
      }
    });
    labelled++;
  }
  return labelled;
}
