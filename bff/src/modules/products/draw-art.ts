import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRAWN_PRODUCTS, productArt } from './art';

/** Writes every demo product's drawing as an SVG file into the folder given, to look at them. */
const dir = process.argv[2] ?? 'product-art';
mkdirSync(dir, { recursive: true });
for (const name of DRAWN_PRODUCTS) writeFileSync(join(dir, `${name}.svg`), productArt(name)!);
console.log(`${DRAWN_PRODUCTS.length} drawings written to ${dir}`);
