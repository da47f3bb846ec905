// Draws the tab bar icons (selected and unselected) as PNGs from small SVGs, with sharp.
// Run: node miniapp/scripts/tab-icons.mjs (from the repo root). The PNGs are committed.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../../bff/package.json'));
const sharp = require('sharp');

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../src/assets/tab');
const COLORS = { normal: '#555555', active: '#1a7f4b' };
const stroke = (c) =>
  `fill="none" stroke="${c}" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"`;
const ICONS = {
  // 首页: a house.
  home: (c) => `<path ${stroke(c)} d="M14 38 L40 16 L66 38 M22 32 V64 H58 V32 M34 64 V48 H46 V64"/>`,
  // 集市: a basket of greens.
  market: (c) =>
    `<path ${stroke(c)} d="M12 34 H68 L62 64 H18 Z M28 34 L36 16 M52 34 L44 16 M30 46 V54 M40 46 V54 M50 46 V54"/>`,
  // 邻里: two neighbours side by side, one a little behind the other.
  neighbors: (c) =>
    `<circle ${stroke(c)} cx="30" cy="28" r="10"/><circle ${stroke(c)} cx="54" cy="24" r="8"/><path ${stroke(c)} d="M10 66 C12 52 20 46 30 46 C40 46 48 52 50 66 M50 44 C52 42 53 41 54 41 C63 41 70 47 71 58"/>`,
  // 订单: a list on a sheet.
  orders: (c) => `<path ${stroke(c)} d="M20 12 H60 V68 H20 Z M30 28 H50 M30 40 H50 M30 52 H42"/>`,
  // 我的: a person.
  mine: (c) =>
    `<circle ${stroke(c)} cx="40" cy="28" r="12"/><path ${stroke(c)} d="M16 68 C18 52 28 46 40 46 C52 46 62 52 64 68"/>`,
};

mkdirSync(OUT, { recursive: true });
for (const [name, draw] of Object.entries(ICONS))
  for (const [state, color] of Object.entries(COLORS)) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="81" height="81" viewBox="0 0 80 80">${draw(color)}</svg>`;
    await sharp(Buffer.from(svg))
      .png({ compressionLevel: 9, palette: true })
      .toFile(join(OUT, `${name}-${state}.png`));
  }
console.log('tab icons written to', OUT);
