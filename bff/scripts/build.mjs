/**
 * The BFF's production build: esbuild bundles each entry point with the workspace's `shared`
 * package (consumed as TypeScript source, so Node cannot load it by itself) into `bff/dist/`, one
 * ESM file per entry plus shared chunks and source maps. Every npm package stays external: it is
 * loaded from node_modules at run time exactly as under tsx (native modules like sharp, PGlite's
 * wasm and pino's transport workers resolve their own files).
 *
 *   node scripts/build.mjs             build
 *   node scripts/build.mjs --if-stale  build only when dist is missing or older than a source
 *
 * Staleness is judged from the previous build's own input list (esbuild's metafile), so any change
 * to a bundled file, this script, a package.json or a tsconfig triggers a rebuild and nothing else does.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BFF = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(BFF, 'dist');
const INPUTS = 'inputs.json';

/** Output name (dist/<name>.js) -> source. */
export const ENTRY_POINTS = {
  server: 'src/server.ts',
  worker: 'src/worker.ts',
  dev: 'src/dev.ts',
  'migrate-cli': 'src/db/migrate-cli.ts',
  'seed-cli': 'src/seed-cli.ts',
};

/** Why dist must be rebuilt, or null when it is up to date. */
export function staleReason() {
  const listFile = join(DIST, INPUTS);
  if (!existsSync(listFile)) return 'no build yet';
  let startedAt;
  let inputs;
  try {
    ({ startedAt, inputs } = JSON.parse(readFileSync(listFile, 'utf8')));
  } catch {
    return 'unreadable input list';
  }
  if (!Number.isFinite(startedAt) || !Array.isArray(inputs)) return 'unreadable input list';
  for (const name of Object.keys(ENTRY_POINTS))
    if (!existsSync(join(DIST, `${name}.js`))) return `dist/${name}.js is missing`;
  for (const rel of inputs) {
    const file = resolve(BFF, rel);
    if (!existsSync(file)) return `${rel} is gone`;
    // Against the time the build began reading: a file saved during the build counts as changed.
    if (statSync(file).mtimeMs >= startedAt) return `${rel} changed`;
  }
  return null;
}

/** Bare imports stay external except the workspace's `shared`, which is bundled from source. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path === 'shared' || args.path.startsWith('shared/')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

export async function build() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error(
      'bff/dist is missing or stale and esbuild is not installed: run `pnpm build` where dev dependencies are',
    );
  }
  const started = Date.now();
  // Built beside dist, then swapped in: a process starting meanwhile loads the old build or the new
  // one (or, for the instant between two renames, finds none), never a mix of their chunks.
  const tmp = `${DIST}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: BFF,
    entryPoints: ENTRY_POINTS,
    outdir: tmp,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // Stack traces need positions, not the text: the sources are in the repository.
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [externalPackages],
  });
  const inputs = [
    ...Object.keys(result.metafile.inputs),
    relative(BFF, fileURLToPath(import.meta.url)),
    // What shapes the output besides the sources: esbuild reads the tsconfigs, the package files
    // say what `shared` resolves to.
    'package.json',
    'tsconfig.json',
    '../tsconfig.base.json',
    '../shared/package.json',
  ];
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, INPUTS), `${JSON.stringify({ startedAt: started, inputs }, null, 1)}\n`);
  const old = `${DIST}.old-${process.pid}`;
  try {
    renameSync(DIST, old);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  try {
    renameSync(tmp, DIST);
  } catch (err) {
    // Another build swapped its own (equally fresh) output in first.
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    rmSync(tmp, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).length;
  process.stdout.write(
    `[build] bff/dist: ${Object.keys(ENTRY_POINTS).length} entry points, ${files} files, ${inputs.length} inputs, ${Date.now() - started} ms\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale')) {
      const why = staleReason();
      if (why) {
        process.stdout.write(`[build] rebuilding bff/dist: ${why}\n`);
        await build();
      }
    } else {
      await build();
    }
  } catch (err) {
    process.stderr.write(`${err.message ?? err}\n`);
    process.exit(1);
  }
}
