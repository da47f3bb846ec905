/** dependency-cruiser's configuration for `pnpm lint`; the rules are in .dependency-cruiser-rules.cjs. */
const { boundaryRules } = require('./.dependency-cruiser-rules.cjs');

module.exports = {
  forbidden: boundaryRules(),
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^bff/src/',
    exclude: { path: '\\.test\\.ts$' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
