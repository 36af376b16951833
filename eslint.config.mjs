// One lint configuration for every workspace.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '.asep/**', 'outlook-addin/public/**', 'teams-app/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules that catch real bugs: a promise nobody awaits loses its error (an unhandled rejection
    // kills the host), a promise passed where a void callback is expected runs unawaited, a thrown string has no stack.
    // One program from the root tsconfig (it includes every workspace): projectService opens one per workspace
    // tsconfig and took three times the CPU on this repo.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    // Vite's configs type against each front end's own vite and stay out of the root program.
    ignores: ['*/vite.config.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', module: 'writable', __dirname: 'readonly', fetch: 'readonly', performance: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Orchestrators replay: time comes from context.df.currentUtcDateTime, randomness and settings from activities.
    files: ['functions/src/orchestrations/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Orchestrations replay: use context.df.currentUtcDateTime.' },
        { object: 'Math', property: 'random', message: 'Orchestrations replay: draw random values in an activity.' },
        { object: 'process', property: 'env', message: 'Orchestrations replay: read settings in an activity or through Services.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Orchestrations replay: use context.df.currentUtcDateTime.' },
      ],
    },
  },
  {
    // Orchestrators decide, activities act: an orchestration reaches services, stores and adapters only through
    // activities, which it calls by the names in its contract. Types may be imported; values only from
    // durable-functions, shared's pure domain and the orchestration contracts.
    files: ['functions/src/orchestrations/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Anything outside the orchestrations folder but the contracts (from inside contracts/, `../contracts` is a sibling).
              regex: '^(\\.\\./(?!contracts/)|@asep/(functions|local)/|@azure/|node:)',
              allowTypeImports: true,
              message:
                'Orchestrations replay: reach services, stores and adapters through an activity named in the contract (orchestrations/contracts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Partition keys are the store's: everything else reaches records through `store.forTenant(tid)` (or
    // `tenantScoped(documents, tid)` for a module's own kind), which fills them in.
    files: ['functions/**/*.ts', 'local/**/*.ts'],
    ignores: ['functions/src/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@asep/shared/tenancy/partitioning',
              importNames: ['tenantPartition'],
              message: 'Partition keys belong to the store: use store.forTenant(tenantId) or tenantScoped(documents, tenantId).',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
