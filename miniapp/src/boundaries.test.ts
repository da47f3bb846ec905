import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { PAGES, TAB_PAGES } from 'shared';
import { describe, expect, it, vi } from 'vitest';

/**
 * Guards of the mini-program's layout. WeChat downloads a subpackage whole when one of its pages
 * opens, so each audience's code must stay in its own subpackage and what two of them share must
 * live in the main package's common folders (components/, hooks/, common/, lockers/, ...). And the
 * BFF links to pages through shared PAGES, so that list and app.config.ts must name the same pages.
 */

const SRC = import.meta.dirname;

interface AppConfig {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string }[] };
}

async function loadAppConfig(): Promise<AppConfig> {
  // app.config.ts calls Taro's build-time global; the config object is all we need of it.
  vi.stubGlobal('defineAppConfig', (config: AppConfig) => config);
  return (await import('./app.config')).default as unknown as AppConfig;
}

const subpackageRoots = (config: AppConfig) =>
  (config.subPackages ?? []).map((p) => p.root.replace(/\/$/, ''));

/** 'main' or the subpackage root a page path belongs to, by its first segment. */
function packageOfPath(path: string, roots: string[]): string {
  return roots.find((root) => path.startsWith(`/${root}/`)) ?? 'main';
}

/** How PAGES and app.config.ts disagree, one line per page; empty when they agree. */
export function pageMismatches(
  config: AppConfig,
  pages: Record<string, string>,
  tabPages: readonly string[],
) {
  const roots = subpackageRoots(config);
  const declared = new Map<string, string>([
    ...config.pages.map((p) => [`/${p}`, 'main'] as const),
    ...(config.subPackages ?? []).flatMap((sub) =>
      sub.pages.map((p) => [`/${sub.root.replace(/\/$/, '')}/${p}`, sub.root.replace(/\/$/, '')] as const),
    ),
  ]);
  const listed = new Set(Object.values(pages));
  const out: string[] = [];
  for (const [name, path] of Object.entries(pages)) {
    const where = declared.get(path);
    if (!where) out.push(`PAGES.${name} ${path} is not a page in app.config.ts`);
  }
  for (const [path, where] of declared) {
    if (!listed.has(path)) out.push(`${path} (${where}) is missing from PAGES`);
    // A main-package page under a subpackage's folder would be downloaded with the main package.
    if (where !== packageOfPath(path, roots))
      out.push(`${path} is declared in ${where}, not its folder's package`);
  }
  const tabs = (config.tabBar?.list ?? []).map((t) => `/${t.pagePath}`);
  if (tabs.join() !== tabPages.join())
    out.push(`tab bar ${tabs.join()} differs from TAB_PAGES ${tabPages.join()}`);
  return out;
}

/** Every module a source names: static, side-effect and dynamic imports, re-exports, scss imports. */
export function importsOf(source: string): string[] {
  const pattern =
    /(?:^|[\s;])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)|@(?:import|use)\s+['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((m) => m.slice(1).find(Boolean)!);
}

/** The subpackage root a file (relative to src) sits under; null for the main package and common folders. */
const ownerOf = (file: string, roots: string[]) => roots.find((root) => file.startsWith(`${root}/`)) ?? null;

/**
 * Imports that reach into a subpackage from anywhere but that subpackage, as `from -> to`.
 * `files` maps paths relative to src to their source.
 */
export function crossImports(files: Record<string, string>, roots: string[]): string[] {
  const out: string[] = [];
  for (const [file, source] of Object.entries(files)) {
    const owner = ownerOf(file, roots);
    for (const spec of importsOf(source)) {
      if (!spec.startsWith('.')) continue;
      const target = normalize(join(dirname(file), spec)).replace(/\\/g, '/');
      const targetOwner = ownerOf(target, roots);
      if (targetOwner && targetOwner !== owner) out.push(`${file} -> ${spec}`);
    }
  }
  return out;
}

function sourcesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(tsx?|scss)$/.test(entry.name)) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full).replace(/\\/g, '/')] = readFileSync(full, 'utf8');
  }
  return out;
}

describe('pages', () => {
  it('are the same in shared PAGES and app.config.ts, each in its own package', async () => {
    expect(pageMismatches(await loadAppConfig(), PAGES, TAB_PAGES)).toEqual([]);
  });

  it('tells every way the two can disagree', () => {
    const config: AppConfig = {
      pages: ['pages/index/index', 'pages/login/index', 'shop/cart'],
      subPackages: [{ root: 'shop', pages: ['index'] }],
      tabBar: { list: [{ pagePath: 'pages/index/index' }] },
    };
    const pages = {
      home: '/pages/index/index',
      shop: '/shop/index',
      cart: '/shop/cart',
      gone: '/shop/order',
    };
    expect(pageMismatches(config, pages, ['/pages/index/index', '/shop/index'])).toEqual([
      'PAGES.gone /shop/order is not a page in app.config.ts',
      '/pages/login/index (main) is missing from PAGES',
      "/shop/cart is declared in main, not its folder's package",
      'tab bar /pages/index/index differs from TAB_PAGES /pages/index/index,/shop/index',
    ]);
  });
});

describe('subpackage imports', () => {
  it('stay inside their subpackage; shared code comes from the common folders', async () => {
    const roots = subpackageRoots(await loadAppConfig());
    const files = sourcesUnder(SRC);
    // The walk saw the subpackages it guards.
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['staff/batches.tsx', 'shop/cart.tsx']));
    expect(crossImports(files, roots)).toEqual([]);
  });

  it('catches a subpackage, or the main package, reaching into another subpackage', () => {
    const files = {
      'staff/batches.tsx': [
        "import { BatchStatusTag } from '../courier/BatchStatusTag';",
        "import { Btn } from '../components/Btn';",
        "import type { Manifest } from '../courier/manifest';",
        "import './staff.scss';",
      ].join('\n'),
      'courier/batch.tsx':
        "import {\n  orderTail,\n} from '../lockers/labels';\nimport { dropProgress } from './manifest';",
      'components/Page.tsx': "import '../shop/cart.scss';\nexport { cart } from '../market/cart';",
      'pages/index/index.tsx': "const stats = await import('../../merchant/stats');",
      'lockers/lockers.scss': "@import '../staff/grid';",
    };
    expect(crossImports(files, ['shop', 'merchant', 'courier', 'staff'])).toEqual([
      'staff/batches.tsx -> ../courier/BatchStatusTag',
      'staff/batches.tsx -> ../courier/manifest',
      'components/Page.tsx -> ../shop/cart.scss',
      'pages/index/index.tsx -> ../../merchant/stats',
      'lockers/lockers.scss -> ../staff/grid',
    ]);
  });
});
