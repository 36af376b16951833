/**
 * The arrows between layers (docs/architecture.md), checked by `tests/architecture/dependencies.test.ts`
 * in `npm test`. Run by hand: `npx depcruise shared functions local teams-app outlook-addin`.
 */
const production = '^(shared|functions|teams-app|outlook-addin)/src/';
const testFile = '\\.test\\.tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'production-never-imports-the-local-suite',
      comment: 'Local stand-ins are injected through Services by local/; production code never imports local/, tests/ or bench/.',
      severity: 'error',
      from: { path: production, pathNot: testFile },
      to: { path: '^(local|tests|bench)/' },
    },
    {
      name: 'shared-is-the-core',
      comment: 'shared/ holds the pure domain every workspace uses; it imports no other workspace.',
      severity: 'error',
      from: { path: '^shared/src/', pathNot: testFile },
      to: { path: '^(functions|local|teams-app|outlook-addin)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
