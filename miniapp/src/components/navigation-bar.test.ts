import { describe, expect, it, vi } from 'vitest';
import { labelNavigationBar } from './navigation-bar';

describe('the H5 title bar controls', () => {
  it('become labelled, focusable buttons that Enter and Space press', () => {
    document.body.innerHTML =
      '<div id="taro-navigation-bar"><div class="taro-navigation-bar-home"></div><div class="taro-navigation-bar-back"></div></div>';
    expect(labelNavigationBar()).toBe(2);
    const back = document.querySelector<HTMLElement>('.taro-navigation-bar-back')!;
    expect(back.getAttribute('role')).toBe('button');
    expect(back.getAttribute('aria-label')).toBe('返回');
    expect(back.tabIndex).toBe(0);
    const clicked = vi.fn();
    back.addEventListener('click', clicked);
    back.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    back.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
    expect(clicked).toHaveBeenCalledTimes(2);
    // Done once: calling again adds no second handler.
    expect(labelNavigationBar()).toBe(0);
  });
});
