import { describe, expect, it } from 'vitest';
import { cardProblems } from './card-conformance';
import { card, cleanText, executeButton } from './elements';

describe('cardProblems', () => {
  it('catches what the schema forbids', () => {
    const broken = card({ summary: 'x', body: [{ type: 'TextBlock', text: 'hi', colour: 'red' }] });
    expect(cardProblems(broken)).toEqual(expect.arrayContaining([expect.stringMatching(/^schema: /)]));
  });

  it('catches what the adaptivecards library reports', () => {
    const twoInputs = card({
      summary: 'x',
      body: [
        { type: 'Input.Text', id: 'reason', label: 'A' },
        { type: 'Input.Text', id: 'reason', label: 'B' },
      ],
      actions: [executeButton('Go', { action: 'killswitch.refresh' })],
    });
    expect(cardProblems(twoInputs)).toContain('validation: Duplicate Id "reason".');
  });
});

describe('cleanText', () => {
  it('cuts at a character boundary, never inside an emoji', () => {
    expect(cleanText('ab🚀🚀🚀', 4)).toBe('ab🚀…');
  });

  it('leaves short text alone apart from trimming', () => {
    expect(cleanText('  Dana  ', 10)).toBe('Dana');
    expect(cleanText(undefined, 10)).toBe('');
  });
});
