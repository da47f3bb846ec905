// Prints the weapp main package size (dist/weapp minus subpackage roots) and fails above 1 MB,
// WeChat's hard limit for the main package being 2 MB and our budget half of that.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const LIMIT = 1024 * 1024;
const dist = new URL('../dist/weapp/', import.meta.url).pathname;
const appJson = JSON.parse(readFileSync(join(dist, 'app.json'), 'utf8'));
const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/\/$/, ''));

function walk(dir) {
  let files = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) files = files.concat(walk(full));
    else files.push(full);
  }
  return files;
}

let main = 0;
const subs = Object.fromEntries(subRoots.map((r) => [r, 0]));
for (const file of walk(dist)) {
  const rel = relative(dist, file);
  const size = statSync(file).size;
  const root = subRoots.find((r) => rel === r || rel.startsWith(`${r}/`));
  if (root) subs[root] += size;
  else main += size;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`weapp main package: ${kb(main)} (${main} bytes, limit ${kb(LIMIT)})`);
for (const [root, size] of Object.entries(subs)) console.log(`  subpackage ${root}: ${kb(size)}`);
if (main > LIMIT) {
  console.error('main package exceeds 1 MB');
  process.exit(1);
}
