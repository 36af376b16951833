import { describe, expect, it } from 'vitest';
import type { ResearchFact } from '../research/fact';
import { offlineDraft } from './draft';

const fact = (id: string, text: string): ResearchFact => ({
  id,
  fact: text,
  source: 'website',
  url: 'https://litware.example/',
  retrievedAt: '2026-11-24T08:00:00.000Z',
  hash: `hash-${id}`,
});

describe('the offline drafter', () => {
  const facts = [fact('f-1', 'Litware opened 3 new plants in 2026.'), { ...fact('f-2', 'Asked about pricing in October.'), source: 'crm' as const }];

  it('quotes one fact after the greeting, cited by its id, and keeps the template’s wording and line breaks', () => {
    const draft = offlineDraft({ subject: 's', body: 'Hi Marco,\n\nShort idea.\n\nBest,\nMax' }, facts, { fallbackReason: 'no model' });

    expect(draft.body).toBe('Hi Marco,\n\nI came across this on your website: “Litware opened 3 new plants in 2026.”\n\nShort idea.\n\nBest,\nMax');
    expect(draft.sentences.filter((sentence) => sentence.factIds.length > 0)).toEqual([
      { text: 'I came across this on your website: “Litware opened 3 new plants in 2026.”', factIds: ['f-1'] },
    ]);
    expect(draft.author).toEqual({ kind: 'offline', fallbackReason: 'no model' });
  });

  it('fills the template’s {{research}} slot, and picks another fact on the next attempt', () => {
    const draft = offlineDraft({ subject: 's', body: 'Hi Marco, {{research}} Worth a look?' }, facts, { fallbackReason: 'no model', attempt: 1 });

    expect(draft.body).toBe('Hi Marco, From our earlier conversations: “Asked about pricing in October.” Worth a look?');
  });

  it('sends the template as it is when research found nothing usable', () => {
    expect(offlineDraft({ subject: 's', body: 'Hi Marco,\n\n{{research}}\n\nBest' }, [], { fallbackReason: 'no model' }).body).toBe(
      'Hi Marco,\n\nBest',
    );
  });
});
