import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, Linter } from 'eslint';
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

  it('forbids service, store and adapter imports in every orchestration module', async () => {
    const folder = join(repoRoot, 'functions/src/orchestrations');
    const orchestrationModules = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    const unguarded: string[] = [];
    for (const file of orchestrationModules) {
      const config = await eslint.calculateConfigForFile(join(folder, file));
      if (config.rules['@typescript-eslint/no-restricted-imports']?.[0] !== 2) unguarded.push(file);
    }
    expect(orchestrationModules).toContain('canary.ts');
    expect(unguarded).toEqual([]);
  });
});

// The rule as each file's configuration has it, run on a module that computes a key: the check needs no types,
// so it skips the typed program the full lint builds.
describe('partition keys', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const computesKey = "import { tenantPartition } from '@asep/shared/tenancy/partitioning';\nexport const key = tenantPartition('t1');\n";
  const ruleIds = async (file: string) => {
    const config = await eslint.calculateConfigForFile(join(repoRoot, file));
    const rules = { 'no-restricted-imports': config.rules['no-restricted-imports'] ?? 'off' };
    return new Linter().verify(computesKey, { languageOptions: { sourceType: 'module' }, rules }).map((message) => message.ruleId);
  };

  it.each(['functions/src/bot/conversation-references.ts', 'local/src/seed.ts'])('are refused outside the store, in %s', async (file) => {
    expect(await ruleIds(file)).toContain('no-restricted-imports');
  });

  it('are computed by the tenant-scoped store', async () => {
    expect(await ruleIds('functions/src/store/tenant-store.ts')).toEqual([]);
  });
});
