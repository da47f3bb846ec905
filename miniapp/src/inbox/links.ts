import { PAGES, TAB_PAGES } from 'shared';

/** Pages a notification may open: the shared list the BFF links to. */
const SUB_PAGES: readonly string[] = Object.values(PAGES).filter((p) => !TAB_PAGES.includes(p));

export type LinkTarget = { kind: 'tab' | 'page'; url: string } | null;

/** Maps a notification's link to a page of this app, or null when it points nowhere we know. */
export function resolveLink(link: string | null): LinkTarget {
  if (!link) return null;
  const [rawPath = '', query] = link.split('?');
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  if (TAB_PAGES.includes(path)) return { kind: 'tab', url: path };
  if (SUB_PAGES.includes(path)) return { kind: 'page', url: query ? `${path}?${query}` : path };
  return null;
}
