import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/suite';

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** Every workspace's imports, checked against the rules in .dependency-cruiser.cjs. */
function violations(): Violation[] {
  const output = execFileSync(
    process.execPath,
    [join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--output-type', 'json', 'shared', 'functions', 'local', 'teams-app', 'outlook-addin'],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  return (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the layers', () => {
  const found = violations();
  const broken = (rule: string) => found.filter((violation) => violation.rule.name === rule).map(({ from, to }) => `${from} → ${to}`);

  it('no production module imports the local suite, tests or benchmarks', () => {
    expect(broken('production-never-imports-the-local-suite')).toEqual([]);
  });

  it('the local suite imports no test or benchmark module: tests use local, not the other way', () => {
    expect(broken('local-never-imports-tests')).toEqual([]);
  });

  it('has no import cycle, not even through types', () => {
    const cycles = found.filter((violation) => violation.rule.name === 'no-cycles').map(({ cycle = [] }) => cycle.map(({ name }) => name).join(' → '));
    expect(cycles).toEqual([]);
  });

  it('imports route modules only to register them', () => {
    expect(broken('routes-only-adapt-http')).toEqual([]);
  });

  it('shared imports no other workspace', () => {
    expect(broken('shared-is-the-core')).toEqual([]);
  });
});
