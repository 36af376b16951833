import { describe, expect, it } from 'vitest';
import { readHeaders } from './headers';
import { readReplyText, stripQuotedHistory } from './reply-text';

describe('stripQuotedHistory', () => {
  it('keeps the prospect’s words and drops Gmail, Outlook and localized quote blocks', () => {
    const cases = [
      'Sounds good.\n\nOn Mon, Nov 25, 2024 at 9:00 AM Sam Rivera <sam@asep-demo.com>\nwrote:\n> Interested in a demo?',
      'Sounds good.\n\n________________________________\nFrom: Sam Rivera <sam@asep-demo.com>\nSent: Monday, November 25, 2024 9:00 AM\nTo: Laura\n\nInterested in a demo?',
      'Sounds good.\n\nVon: Sam Rivera <sam@asep-demo.com>\nGesendet: Montag, 25. November 2024 09:00\nAn: Laura\nBetreff: Idee\n\nInteresse an einer Demo?',
      'Sounds good.\n\nLe lun. 25 nov. 2024 à 09:00, Sam Rivera <sam@asep-demo.com> a écrit :\n> Une démo ?',
      'Sounds good.\n\nEl lun, 25 nov 2024 a las 9:00, Sam Rivera (<sam@asep-demo.com>) escribió:\n> ¿Una demo?',
      'Sounds good.\n\n-----Original Message-----\nFrom: Sam Rivera\nInterested in a demo?',
      'Sounds good.\n\nBest regards,\nLaura Smith\nVP Sales',
      'Sounds good.\n\n--\nLaura Smith | Contoso',
      'Sounds good.\n\nSent from my iPhone',
    ];
    for (const text of cases) expect(stripQuotedHistory(text).text, text).toBe('Sounds good.');
  });

  it('keeps answers written between quoted lines', () => {
    expect(stripQuotedHistory('> Would Tuesday work?\nYes, 10am.\n> Should I invite your CTO?\nPlease do.').text).toBe('Yes, 10am.\nPlease do.');
  });

  it('does not cut a reply that merely starts with thanks', () => {
    expect(stripQuotedHistory('Thanks!\nLet us talk on Tuesday.').text).toBe('Thanks!\nLet us talk on Tuesday.');
  });
});

describe('readReplyText', () => {
  it('caps what it scores and says so', () => {
    const text = readReplyText('Re: Idea', 'word '.repeat(10_000), readHeaders(undefined).headers);
    expect(text.ownText.length).toBe(20_000);
    expect(text.notes.map((note) => note.step)).toContain('truncate');
  });

  it('decodes a base64 body announced by its header', () => {
    const { headers } = readHeaders({ 'Content-Transfer-Encoding': 'base64' });
    expect(readReplyText('Re: x', btoa('Bitte keine weiteren E-Mails.'), headers).ownText).toBe('Bitte keine weiteren E-Mails.');
  });
});
