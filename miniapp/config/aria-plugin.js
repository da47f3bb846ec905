/**
 * Taro's weapp template emits only the attributes it knows for each component, and it knows no
 * aria-* for view, text or button: `ariaRole` / `ariaLabel` set in React would never reach the WXML
 * and WeChat's screen reader would read a tappable row as plain text. This adds WeChat's
 * accessibility attributes (developers.weixin.qq.com: 无障碍访问) to those components, with no
 * default value, so src/components/a11y.ts can set them.
 */
const ARIA = {
  'aria-role': '',
  'aria-label': '',
  'aria-checked': '',
  'aria-selected': '',
  'aria-disabled': '',
  'aria-pressed': '',
  'aria-hidden': '',
};

module.exports = (ctx) => {
  ctx.registerMethod({
    name: 'onSetupClose',
    fn(platform) {
      const template = platform?.template;
      if (!template || typeof template.mergeComponents !== 'function') return;
      template.mergeComponents(ctx, { View: ARIA, Text: ARIA, Button: ARIA, Image: ARIA });
    },
  });
};
