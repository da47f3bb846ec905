/**
 * Module boundaries of the BFF, checked by `pnpm lint` (dependency-cruiser). One generic rule per
 * kind of violation, with the module name captured from the path, so a new module needs no entry.
 * `boundaryRules(root)` lets the guard's own test run the same rules on a fixture tree.
 */
function boundaryRules(root = 'bff/src/') {
  const r = root.replace(/[.]/g, '\\.');
  const MODULE = `^${r}modules/([^/]+)/`;
  return [
    {
      name: 'module-internals',
      comment:
        'A module is reached only through its index.ts; its other files (services, tables, jobs) are its own.',
      severity: 'error',
      from: { path: MODULE, pathNot: '/tables\\.ts$' },
      to: { path: `^${r}modules/([^/]+)/(?!index\\.ts$)`, pathNot: `^${r}modules/$1/` },
    },
    {
      name: 'tables-reference-tables-only',
      comment:
        "A module's tables.ts may name another module's tables for foreign keys (referential integrity is the database's); nothing else of another module.",
      severity: 'error',
      from: { path: `^${r}modules/([^/]+)/tables\\.ts$` },
      to: { path: `^${r}modules/([^/]+)/`, pathNot: [`^${r}modules/$1/`, `^${r}modules/[^/]+/tables\\.ts$`] },
    },
    {
      name: 'no-table-aggregate-in-modules',
      comment:
        'db/schema/index.ts holds every table (for drizzle-kit and the migrator); modules use their own.',
      severity: 'error',
      from: { path: MODULE },
      to: { path: `^${r}db/schema/index\\.ts$` },
    },
    {
      name: 'infrastructure-knows-no-feature',
      comment:
        'Plugins, jobs, access, http, db and infra are handed what modules contribute; they import none.',
      severity: 'error',
      from: { path: `^${r}(plugins|jobs|access|http|infra|integrations|db/(?!schema/index\\.ts$))` },
      to: { path: `^${r}modules/` },
    },
    {
      name: 'no-module-cycles',
      comment: 'Dependencies between modules run one way: the newer module registers a hook with the older.',
      severity: 'error',
      from: { path: MODULE },
      to: { circular: true },
    },
  ];
}

module.exports = { boundaryRules };
