import { describe, expect, it } from 'vitest';
import { loadDevSet, splitOf } from './dev-set';
import { replyLabels } from './schema';

describe('the dev set', () => {
  const examples = loadDevSet();

  it('has hundreds of examples with every label well represented', () => {
    expect(examples.length).toBeGreaterThanOrEqual(600);
    for (const label of replyLabels) expect(examples.filter((example) => example.label === label).length, label).toBeGreaterThanOrEqual(100);
  });

  it('puts every example in exactly one split, with the test split kept apart', () => {
    const bySplit = { train: loadDevSet('train'), calibration: loadDevSet('calibration'), test: loadDevSet('test') };
    expect(bySplit.train.length + bySplit.calibration.length + bySplit.test.length).toBe(examples.length);
    const trainKeys = new Set(bySplit.train.map((example) => `${example.subject}\u0000${example.body}`));
    expect(bySplit.test.filter((example) => trainKeys.has(`${example.subject}\u0000${example.body}`))).toEqual([]);
    for (const example of bySplit.test) expect(splitOf(example)).toBe('test');
  });

  it('names the source and licence of everything not written for this project, and uses no reserved corpus', () => {
    for (const example of examples) {
      if (!/^(?:hand-written|generated for this project)/.test(example.source)) expect(example.source, example.source).toMatch(/licen[cs]e/i);
      expect(example.source).not.toMatch(/enron|sisimai|set-of-emails|bounce-handler|bouncehandler/i);
    }
  });
});
