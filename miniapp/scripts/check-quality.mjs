// WeChat DevTools' code-quality scan (代码质量, its 11 checks) over dist/weapp, offline, through
// miniprogram-ci's checkCodeQuality: the same analysis DevTools runs. Fails the weapp build unless
// every check passes. It reads project.config.json beside this folder (miniprogramRoot dist/weapp)
// and needs no upload key: checkCodeQuality never reads it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ci = require('miniprogram-ci');

const projectPath = fileURLToPath(new URL('..', import.meta.url));
const { appid } = JSON.parse(readFileSync(new URL('../project.config.json', import.meta.url), 'utf8'));

const project = new ci.Project({
  appid,
  type: 'miniProgram',
  projectPath,
  privateKeyPath: fileURLToPath(new URL('../project.config.json', import.meta.url)),
});
const results = await ci.checkCodeQuality(project);
for (const r of results) {
  const detail = r.success || r.detail === undefined ? '' : ` ${JSON.stringify(r.detail).slice(0, 600)}`;
  console.log(`${r.success ? 'PASS' : 'FAIL'} ${r.name}: ${r.text}${detail}`);
}
const failed = results.filter((r) => !r.success);
console.log(`code quality: ${results.length - failed.length}/${results.length} checks pass`);
process.exit(failed.length ? 1 : 0);
