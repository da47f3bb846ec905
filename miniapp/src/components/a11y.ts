/**
 * Accessibility attributes for controls drawn with Taro's View/Text/Button.
 *
 * What each platform does with a prop (checked in chromium against the H5 build, and in the weapp
 * template Taro generates):
 * - H5: Taro's React wrapper renders every string/number prop as an attribute after
 *   camelCase -> dash-case (`ariaLabel` -> `aria-label`, but `tabIndex` -> `tab-index`, which the
 *   browser ignores), and also assigns it as a DOM property. So `role`, `aria-*` and a lowercase
 *   `tabindex` reach the DOM as is. `aria-role` (WeChat's spelling) must not: axe calls it an
 *   invalid ARIA attribute. Events are bound with addEventListener (`el.__events`), not React's.
 * - weapp: WXML knows `aria-role`, `aria-label` and the `aria-*` states; Taro's template emits only
 *   attributes it was told about, which config/aria-plugin.js adds to view/text/button/image, and
 *   it fills them from camelCase props (`ariaRole` -> `aria-role="{{i.p6}}"`, checked against the
 *   template Taro generates). Keyboard events do not exist there.
 */

export type A11yRole =
  | 'button'
  | 'checkbox'
  | 'switch'
  | 'radio'
  | 'tab'
  | 'link'
  | 'option'
  // containers that name a set of controls
  | 'group'
  | 'radiogroup'
  | 'tablist';

export interface A11yOptions {
  /** Accessible name, when the visible text alone would not say it (a ★, an icon, a bare number). */
  label?: string;
  role?: A11yRole;
  /** Toggle buttons and chips that stay selected. */
  pressed?: boolean;
  /** Checkboxes, switches and radios. */
  checked?: boolean;
  /** Tabs and options. */
  selected?: boolean;
  disabled?: boolean;
}

const H5 = process.env.TARO_ENV === 'h5';

const bool = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'true' : 'false');

/** Only the attributes that have a value: Taro would render `undefined` as the text "undefined". */
function defined(attrs: Record<string, string | number | undefined>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Role, name and state of a control, spelled for the platform being built. Spread onto a Taro
 * component: `<View onClick={open} {...a11y({ role: 'checkbox', checked })}>`. The result is typed
 * `object` because Taro's typings leave these props out though both platforms pass them through.
 */
export function a11y(o: A11yOptions): object {
  const pressed = bool(o.pressed);
  const checked = bool(o.checked);
  const selected = bool(o.selected);
  const disabled = o.disabled ? 'true' : undefined;
  // weapp: Taro maps these camelCase props to the aria-* attributes config/aria-plugin.js declares.
  if (!H5)
    return defined({
      ariaRole: o.role,
      ariaLabel: o.label,
      ariaPressed: pressed,
      ariaChecked: checked,
      ariaSelected: selected,
      ariaDisabled: disabled,
    });
  return defined({
    role: o.role,
    'aria-label': o.label,
    'aria-pressed': pressed,
    'aria-checked': checked,
    'aria-selected': selected,
    'aria-disabled': disabled,
  });
}

/**
 * Everything a View with an onClick needs to be a control: a role (button unless told), its name,
 * its state, and on H5 a place in the tab order. Enter and Space are handled once for the whole
 * document by `installKeyboardActivation`, so the spread carries no handler of its own and pages
 * keep their onClick as it is: `<View className="row" onClick={open} {...tappable()}>`.
 */
export function tappable(o: A11yOptions = {}): object {
  return {
    ...a11y({ role: 'button', ...o }),
    ...(H5 ? { tabindex: o.disabled ? -1 : 0 } : {}),
  };
}

/** Roles whose element is ours to activate from the keyboard (a native control does it itself). */
const ACTIVATED_ROLES = new Set(['button', 'checkbox', 'switch', 'radio', 'tab', 'link', 'option']);
const NATIVE = new Set(['BUTTON', 'A', 'INPUT', 'TEXTAREA', 'SELECT']);

/**
 * H5 only. Taro's Button (taro-button-core) is a custom element with no role and no tab stop, and a
 * tappable View is a div: neither answers Enter or Space. This gives every Taro button the role and
 * tab stop of a button as it connects (pages written before or after this file alike), and turns
 * Enter/Space on any focused control with one of our roles into the click its onClick listens for.
 */
export function installKeyboardActivation(doc: Document = document): void {
  const win = doc.defaultView;
  if (!win || (win as { __linliA11y?: boolean }).__linliA11y) return;
  (win as { __linliA11y?: boolean }).__linliA11y = true;

  const asButton = (el: Element) => {
    if (!el.hasAttribute('role')) el.setAttribute('role', 'button');
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
    // A disabled attribute means nothing to a screen reader on a non-native element: say it.
    const disabled = el.hasAttribute('disabled') && el.getAttribute('disabled') !== 'false';
    if (disabled) {
      el.setAttribute('aria-disabled', 'true');
      el.setAttribute('data-a11y-disabled', '');
    } else if (el.hasAttribute('data-a11y-disabled')) {
      el.removeAttribute('aria-disabled');
      el.removeAttribute('data-a11y-disabled');
    }
  };
  // Taro's Switch and Checkbox draw a native checkbox inside their element, with no label: it gets
  // the element's aria-label, or else the text of the row it sits in (its visible label).
  const labelInner = (host: Element) => {
    const input = host.querySelector('input');
    if (!input || input.hasAttribute('aria-label')) return;
    const own = host.getAttribute('aria-label');
    const row = host.parentElement;
    const text = own ?? row?.textContent?.trim().replace(/\s+/g, ' ').slice(0, 40) ?? '';
    if (text) input.setAttribute('aria-label', text);
  };
  const FORM_HOSTS = 'taro-switch-core, taro-checkbox-core, taro-radio-core';
  const observer = new win.MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') {
        if ((r.target as Element).tagName === 'TARO-BUTTON-CORE') asButton(r.target as Element);
        continue;
      }
      for (const node of Array.from(r.addedNodes)) {
        if (node.nodeType !== 1) continue;
        const el = node as Element;
        if (el.tagName === 'TARO-BUTTON-CORE') asButton(el);
        for (const b of Array.from(el.querySelectorAll('taro-button-core'))) asButton(b);
        const host = el.tagName === 'INPUT' ? el.parentElement : el;
        if (host?.matches(FORM_HOSTS)) labelInner(host);
        for (const f of Array.from(el.querySelectorAll(FORM_HOSTS))) labelInner(f);
      }
    }
  });
  observer.observe(doc.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['disabled'],
  });
  for (const b of Array.from(doc.querySelectorAll('taro-button-core'))) asButton(b);
  for (const f of Array.from(doc.querySelectorAll(FORM_HOSTS))) labelInner(f);

  doc.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const el = e.target as HTMLElement | null;
    if (!el || NATIVE.has(el.tagName) || el.isContentEditable) return;
    if (!ACTIVATED_ROLES.has(el.getAttribute('role') ?? '')) return;
    if (el.getAttribute('aria-disabled') === 'true') return;
    e.preventDefault();
    el.click();
  });
}

/**
 * Extra props for NutUI's Switch (pass its name as `ariaLabel`). It sets `ariaRole="switch"`,
 * which is WeChat's spelling: on H5 that renders an `aria-role` attribute axe rejects and leaves
 * the element with no role. On H5 this swaps it for a real role and a spoken state.
 */
export function switchA11y(checked: boolean): object {
  if (!H5) return {};
  return { ariaRole: undefined, role: 'switch', 'aria-checked': checked ? 'true' : 'false' };
}
