import { describe, expect, it } from 'vitest';
import { resolveLink } from './links';

describe('notification links', () => {
  it('opens tab pages with switchTab and subpackage pages with navigateTo', () => {
    expect(resolveLink('/pages/index/index')).toEqual({ kind: 'tab', url: '/pages/index/index' });
    // switchTab takes no query: a link to the 邻里 tab opens the tab itself.
    expect(resolveLink('/pages/neighbors/index?topic=pets')).toEqual({
      kind: 'tab',
      url: '/pages/neighbors/index',
    });
    expect(resolveLink('/neighbors/post?id=p1')).toEqual({ kind: 'page', url: '/neighbors/post?id=p1' });
    expect(resolveLink('/membership/index')).toEqual({ kind: 'page', url: '/membership/index' });
    expect(resolveLink('staff/memberships?status=pending')).toEqual({
      kind: 'page',
      url: '/staff/memberships?status=pending',
    });
  });

  it('ignores links to pages this app does not have', () => {
    expect(resolveLink('/pages/membership/index')).toBeNull();
    expect(resolveLink('https://example.com')).toBeNull();
    expect(resolveLink(null)).toBeNull();
  });
});
