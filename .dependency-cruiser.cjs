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
      name: 'local-never-imports-tests',
      comment: 'Tests drive the local suite, never the other way: local/ imports no tests/ or bench/ module.',
      severity: 'error',
      from: { path: '^local/src/', pathNot: testFile },
      to: { path: '^(tests|bench)/' },
    },
    {
      name: 'shared-is-the-core',
      comment: 'shared/ holds the pure domain every workspace uses; it imports no other workspace.',
      severity: 'error',
      from: { path: '^shared/src/', pathNot: testFile },
      to: { path: '^(functions|local|teams-app|outlook-addin)/' },
    },
    {
      name: 'no-cycles',
      comment: 'Arrows point one way: a cycle, even through types only, means two modules each need the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'routes-only-adapt-http',
      comment: 'Route modules register HTTP functions (functions.ts, or a parent route module, imports them for that); domain operations live in their capability, which callers import instead.',
      severity: 'error',
      from: { path: '^functions/src/', pathNot: ['^functions/src/functions\\.ts$', '/routes\\.ts$', testFile] },
      to: { path: '^functions/src/.+/routes\\.ts$' },
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
