/**
 * Module boundaries of the BFF, checked by `pnpm lint` (dependency-cruiser). One generic rule per
 * kind of violation, with the module name captured from the path, so a new module needs no entry.
 */
const MODULE = '^bff/src/modules/([^/]+)/';

module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      comment:
        'A module is reached only through its index.ts; its other files (services, tables, jobs) are its own.',
      severity: 'error',
      from: { path: MODULE, pathNot: '/tables\\.ts$' },
      to: {
        path: '^bff/src/modules/([^/]+)/(?!index\\.ts$)',
        pathNot: '^bff/src/modules/$1/',
      },
    },
    {
      name: 'tables-reference-tables-only',
      comment:
        "A module's tables.ts may name another module's tables for foreign keys (referential integrity is the database's); nothing else of another module.",
      severity: 'error',
      from: { path: '^bff/src/modules/([^/]+)/tables\\.ts$' },
      to: {
        path: '^bff/src/modules/([^/]+)/',
        pathNot: ['^bff/src/modules/$1/', '^bff/src/modules/[^/]+/tables\\.ts$'],
      },
    },
    {
      name: 'no-table-aggregate-in-modules',
      comment: 'db/schema/index.ts holds every table (for drizzle-kit and the migrator); modules import their own tables.ts.',
      severity: 'error',
      from: { path: MODULE },
      to: { path: '^bff/src/db/schema/index\\.ts$' },
    },
    {
      name: 'infrastructure-knows-no-feature',
      comment: 'Plugins, jobs, access, http, db and infra are handed what modules contribute; they import none.',
      severity: 'error',
      from: { path: '^bff/src/(plugins|jobs|access|http|infra|integrations|db/(?!schema/index\\.ts$))' },
      to: { path: '^bff/src/modules/' },
    },
    {
      name: 'no-module-cycles',
      comment: 'Dependencies between modules run one way: the newer module registers a hook with the older.',
      severity: 'error',
      from: { path: MODULE },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^bff/src/',
    exclude: { path: '\\.test\\.ts$' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
