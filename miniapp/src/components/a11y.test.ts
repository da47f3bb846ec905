import { beforeAll, describe, expect, it, vi } from 'vitest';
import { a11y, installKeyboardActivation, switchA11y, tappable } from './a11y';

/** Lets the MutationObserver's callback run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a11y props on H5', () => {
  it('spell role, name and state as ARIA attributes, leaving out what is not set', () => {
    expect(a11y({ role: 'checkbox', checked: false, label: '同意' })).toEqual({
      role: 'checkbox',
      'aria-label': '同意',
      'aria-checked': 'false',
    });
    expect(a11y({ pressed: true, disabled: true })).toEqual({
      'aria-pressed': 'true',
      'aria-disabled': 'true',
    });
  });

  it('tappable makes a button in the tab order, out of it when disabled', () => {
    expect(tappable()).toEqual({ role: 'button', tabindex: 0 });
    expect(tappable({ role: 'radio', checked: true, disabled: true })).toEqual({
      role: 'radio',
      'aria-checked': 'true',
      'aria-disabled': 'true',
      tabindex: -1,
    });
  });

  it("replaces NutUI Switch's WeChat-only aria-role with a role and its state", () => {
    expect(switchA11y(true)).toEqual({ ariaRole: undefined, role: 'switch', 'aria-checked': 'true' });
  });
});

describe('installKeyboardActivation', () => {
  beforeAll(() => {
    document.body.innerHTML = '<taro-button-core id="early">早</taro-button-core>';
    installKeyboardActivation();
    // Buttons already on the page when it is installed count too.
    expect(document.getElementById('early')!.getAttribute('role')).toBe('button');
  });

  it('Enter and Space click a focused control of ours, not a native one, not a disabled one', () => {
    document.body.innerHTML = `
      <div id="row" role="button" tabindex="0">去看看</div>
      <div id="off" role="button" aria-disabled="true" tabindex="0">不可用</div>
      <div id="plain">文字</div>
      <button id="native">原生</button>`;
    const clicks: string[] = [];
    document.body.addEventListener('click', (e) => clicks.push((e.target as HTMLElement).id));
    for (const id of ['row', 'off', 'plain', 'native'])
      for (const key of ['Enter', ' ', 'a'])
        document.getElementById(id)!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    expect(clicks).toEqual(['row', 'row']);
  });

  it("gives Taro's buttons a role and a tab stop, and says when they are disabled", async () => {
    document.body.innerHTML = '<taro-button-core id="b">提交</taro-button-core>';
    await flush();
    const b = document.getElementById('b')!;
    expect(b.getAttribute('role')).toBe('button');
    expect(b.getAttribute('tabindex')).toBe('0');
    b.setAttribute('disabled', '');
    await flush();
    expect(b.getAttribute('aria-disabled')).toBe('true');
    b.removeAttribute('disabled');
    await flush();
    expect(b.hasAttribute('aria-disabled')).toBe(false);
    const clicked = vi.fn();
    b.addEventListener('click', clicked);
    b.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(clicked).toHaveBeenCalledTimes(1);
  });

  it("names the checkbox inside Taro's Switch by its own label or by the row it sits in", async () => {
    document.body.innerHTML = `
      <div class="row"><span>接受紧急求助</span><taro-switch-core id="s1"></taro-switch-core></div>
      <taro-switch-core id="s2" aria-label="公开电话"></taro-switch-core>`;
    await flush();
    // Stencil draws the input after the element connects.
    for (const id of ['s1', 's2'])
      document
        .getElementById(id)!
        .appendChild(Object.assign(document.createElement('input'), { type: 'checkbox' }));
    await flush();
    expect(document.querySelector('#s1 input')!.getAttribute('aria-label')).toBe('接受紧急求助');
    expect(document.querySelector('#s2 input')!.getAttribute('aria-label')).toBe('公开电话');
  });
});
