import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/suite';

const typeAwareRules = ['no-floating-promises', 'no-misused-promises', 'await-thenable'].map((rule) => `@typescript-eslint/${rule}`);

// One module from every workspace, its tests and the benchmarks: `npm test` lints them all and fails on an error.
const modules = [
  'shared/src/audit/chain.ts',
  'functions/src/orchestrations/canary.ts',
  'local/src/durable-host.ts',
  'teams-app/src/console/main.tsx',
  'outlook-addin/src/main.tsx',
  'tests/run.ts',
  'bench/run.ts',
];

describe('the lint', () => {
  const eslint = new ESLint({ cwd: repoRoot });

  it.each(modules)('fails %s on an unawaited or misused promise, with its types', async (file) => {
    const config = await eslint.calculateConfigForFile(file);
    expect(config.languageOptions.parserOptions.project).toBe('./tsconfig.json');
    expect(Object.fromEntries(typeAwareRules.map((rule) => [rule, config.rules[rule]?.[0]]))).toEqual(
      Object.fromEntries(typeAwareRules.map((rule) => [rule, 2])),
    );
  });
});
