import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { options } = require('../../../.dependency-cruiser.cjs');
const { boundaryRules } = require('../../../.dependency-cruiser-rules.cjs');

const ROOT = 'bff/test/guard/fixture/src/';

async function violations(root: string, include: string) {
  const result = await cruise([root], {
    ...options,
    includeOnly: `^${include}`,
    validate: true,
    ruleSet: { forbidden: boundaryRules(include) },
  });
  const output = result.output as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return output.summary.violations.map(
    (v) => `${v.rule.name}: ${v.from.replace(include, '')} -> ${v.to.replace(include, '')}`,
  );
}

describe('the module boundary guard (pnpm lint)', () => {
  it('fails on each kind of violation, planted in a fixture tree', async () => {
    const found = await violations(ROOT, ROOT);
    expect(found).toEqual(
      expect.arrayContaining([
        'module-internals: modules/b/service.ts -> modules/a/service.ts',
        'module-internals: modules/b/service.ts -> modules/a/tables.ts',
        'no-table-aggregate-in-modules: modules/b/service.ts -> db/schema/index.ts',
        'infrastructure-knows-no-feature: plugins/p.ts -> modules/a/index.ts',
        expect.stringMatching(/^no-module-cycles: modules\/(a|b)\/index\.ts -> modules\/(b|a)\/index\.ts$/),
      ]),
    );
    // A table naming another module's table for a foreign key is allowed.
    expect(found.some((f) => f.includes('modules/a/tables.ts -> modules/b/tables.ts'))).toBe(false);
  });

  it('finds no violation in the product', async () => {
    expect(await violations('bff/src', 'bff/src/')).toEqual([]);
  });
});
