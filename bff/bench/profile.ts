/**
 * Reads the `.cpuprofile` a server wrote under `--cpu-prof` and prints where its CPU went: the top
 * functions by self time (file:line, mapped back to bff/src or shared/src through the build's
 * source maps) and the self time per package (drizzle-orm, zod, jose, fastify, ours, ...).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | null>();
function sourceMapOf(file: string): SourceMap | null {
  if (!maps.has(file)) {
    let map: SourceMap | null = null;
    if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    maps.set(file, map);
  }
  return maps.get(file)!;
}

/** Where a frame is, as `path:line` relative to the repository, through the source map if any. */
function locate(frame: CallFrame): { where: string; file: string } {
  if (!frame.url) return { where: '', file: '' };
  let file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  let line = frame.lineNumber + 1;
  // Only our build is mapped back (to bff/src, shared/src); a package stays at its published file.
  const map = file.startsWith(join(REPO, 'bff', 'dist')) ? sourceMapOf(file) : null;
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
      originalSource?: string;
      originalLine?: number;
    };
    if (entry.originalSource) {
      const src = entry.originalSource;
      file = src.startsWith('file://') ? fileURLToPath(src) : join(file, '..', src);
      line = (entry.originalLine ?? 0) + 1;
    }
  }
  const rel = file.startsWith('/') ? relative(REPO, file) : file;
  const i = rel.lastIndexOf('node_modules/');
  return { where: `${i >= 0 ? rel.slice(i + 'node_modules/'.length) : rel}:${line}`, file: rel };
}

/** npm package of a file (last node_modules segment), or what part of ours / the runtime it is. */
function packageOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native)';
  const i = file.lastIndexOf('node_modules/');
  if (i >= 0) {
    const rest = file.slice(i + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (file.startsWith('node:')) return 'node (core)';
  if (file.startsWith('bff/src/')) return 'ours (bff/src)';
  if (file.startsWith('shared/')) return 'ours (shared)';
  if (file.startsWith('bff/dist/')) return 'ours (dist, unmapped)';
  return file;
}

/** `fromMs`: samples before this many ms after the process started (its start-up) are left out. */
export function summarizeProfile(dir: string, opts: { top?: number; fromMs?: number } = {}): string {
  const top = opts.top ?? 15;
  const fromUs = (opts.fromMs ?? 0) * 1000;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (!files.length) return `  (no .cpuprofile in ${dir})`;
  const profile = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** A native frame says little by itself (writeBuffer: a socket? stdout?): name its JS caller. */
  const caller = (id: number): string => {
    let p = parent.get(id);
    while (p !== undefined && !byId.get(p)!.callFrame.url) p = parent.get(p);
    if (p === undefined) return '';
    const f = byId.get(p)!.callFrame;
    return ` <- ${f.functionName || '(anonymous)'} ${locate(f).where}`;
  };
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attribute it to the sample's node.
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const fns = new Map<string, { name: string; where: string; pkg: string; us: number }>();
  const pkgs = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const located = locate(node.callFrame);
    const { file } = located;
    const where = located.where || caller(id);
    const pkg = packageOf(file, name);
    const key = `${name} ${where}`;
    const f = fns.get(key) ?? { name, where, pkg, us: 0 };
    f.us += us;
    fns.set(key, f);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const lines = [
    `  CPU busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s (${files[0]})`,
    `  top ${top} functions by self time (% of busy):`,
  ];
  for (const f of [...fns.values()].sort((a, b) => b.us - a.us).slice(0, top))
    lines.push(`    ${pct(f.us)}  ${f.name.slice(0, 40).padEnd(40)} ${f.pkg.padEnd(22)} ${f.where}`);
  lines.push('  self time by package:');
  for (const [pkg, us] of [...pkgs.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15))
    lines.push(`    ${pct(us)}  ${pkg}`);
  return lines.join('\n');
}
