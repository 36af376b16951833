import { describe, expect, it } from 'vitest';
import { extractOooDetails, extractReferral, extractReturnDate, findLeftCompany } from './extract-ooo';

// Wednesday 27 November 2024, morning in Berlin.
const wednesday = '2024-11-27T09:00:00+01:00';

describe('extractReturnDate', () => {
  it('resolves a German return date relative to the message date', () => {
    expect(extractReturnDate('Ich bin ab dem 3. Dezember wieder im Büro.', wednesday)).toBe('2024-12-03');
    expect(extractReturnDate('Ich bin zurück am 3. Dezember.', wednesday)).toBe('2024-12-03');
    expect(extractReturnDate('Ich bin bis 03.12. nicht im Büro.', wednesday)).toBe('2024-12-03');
  });

  it('resolves weekdays forward from the message date in four languages', () => {
    expect(extractReturnDate("I'm out, back Monday.", wednesday)).toBe('2024-12-02');
    expect(extractReturnDate('Ab Montag bin ich wieder erreichbar.', wednesday)).toBe('2024-12-02');
    expect(extractReturnDate('Je serai de retour lundi.', wednesday)).toBe('2024-12-02');
    expect(extractReturnDate('Estoy de vacaciones, regreso el lunes.', wednesday)).toBe('2024-12-02');
  });

  it('rolls a month without a year into the next year when it has already passed', () => {
    expect(extractReturnDate('Je suis absent, de retour le 5 janvier.', '2024-12-20T10:00:00+01:00')).toBe('2025-01-05');
  });

  it('uses the sender’s own calendar day: late Friday evening in California is still Friday', () => {
    expect(extractReturnDate('I am away, back tomorrow.', '2024-11-29T23:30:00-08:00')).toBe('2024-11-30');
  });

  it('returns on the next business day after an inclusive absence', () => {
    expect(extractReturnDate('I am on leave through Friday, December 6.', wednesday)).toBe('2024-12-09');
    expect(extractReturnDate('Ich bin bis einschließlich 6. Dezember abwesend.', wednesday)).toBe('2024-12-09');
  });

  it('prefers an explicit "back on" date over the start of the absence', () => {
    expect(extractReturnDate('I am out from Monday, December 2 and back on Thursday, December 5.', wednesday)).toBe('2024-12-05');
  });

  it('resolves only fully written dates when the message has no date', () => {
    expect(extractReturnDate('Back on Monday.', undefined)).toBeUndefined();
    expect(extractReturnDate('Back on January 6, 2025.', undefined)).toBe('2025-01-06');
  });

  it('reads a Japanese "from this day on" (以降, 以後) as the day they are back', () => {
    const boxingDay = '2025-12-26T10:00:00+09:00';
    expect(extractReturnDate('年末年始休暇のため、1月6日以降に対応いたします。', boxingDay)).toBe('2026-01-06');
    expect(extractReturnDate('出張のため、1月8日（木）以後に確認いたします。', boxingDay)).toBe('2026-01-08');
    // The day the absence starts is not the day they are back.
    expect(extractReturnDate('8月10日以降不在にしております。8月18日より出社いたします。', '2026-08-10T09:00:00+09:00')).toBe('2026-08-18');
  });

  it('reads the calendar day in an English line of a notice in another language, whatever language the names suggest', () => {
    // French, detected from the names, reads "Mar 9" as mardi (Tuesday) at 9:00.
    const notice = '現在出張中です。\nOut of office, back Mar 9. Contact Inès Moreau on ines.moreau@example.fr if urgent.';
    expect(extractReturnDate(notice, '2026-03-02T09:00:00+01:00')).toBe('2026-03-09');
    // And not the other way round: "mar." is mardi in French, and the English March is months away.
    expect(extractReturnDate('Je suis en déplacement, de retour mar. 16.', '2026-06-08T09:00:00+02:00')! < '2026-07-01').toBe(true);
  });

  it('finds no return date in a notice that gives none', () => {
    expect(extractReturnDate('I am out of the office with limited access to email.', wednesday)).toBeUndefined();
  });
});

describe('extractReferral', () => {
  it('finds the colleague to contact, with name and address, in four languages', () => {
    expect(extractReferral('For urgent matters please contact Jane Doe at jane@acme.com.', undefined)).toEqual({
      name: 'Jane Doe',
      email: 'jane@acme.com',
    });
    expect(extractReferral('In dringenden Fällen wenden Sie sich bitte an Frau Anna Schmidt unter anna.schmidt@firma.de.', undefined)).toEqual({
      name: 'Anna Schmidt',
      email: 'anna.schmidt@firma.de',
    });
    expect(extractReferral("En cas d'urgence, veuillez contacter Marie Dupont (marie.dupont@societe.fr).", undefined)).toEqual({
      name: 'Marie Dupont',
      email: 'marie.dupont@societe.fr',
    });
    expect(extractReferral('Para asuntos urgentes, póngase en contacto con Juan Pérez en juan.perez@empresa.es', undefined)).toEqual({
      name: 'Juan Pérez',
      email: 'juan.perez@empresa.es',
    });
  });

  it('leaves the verb that starts the sentence out of the name', () => {
    expect(extractReferral('Reach Ana Lima at ana.lima@example.com.br for anything urgent.', undefined)).toEqual({
      name: 'Ana Lima',
      email: 'ana.lima@example.com.br',
    });
    expect(extractReferral('Urgent? Ask Jonas Weber (jonas.weber@firma.de).', undefined)).toEqual({
      name: 'Jonas Weber',
      email: 'jonas.weber@firma.de',
    });
  });

  it('keeps a name without an address and ignores the sender’s own address', () => {
    expect(extractReferral('Please contact my colleague Priya Patel for urgent requests.', undefined)).toEqual({
      name: 'Priya Patel',
    });
    expect(extractReferral('You can reach me at tom@acme.com when I am back.', 'tom@acme.com')).toBeUndefined();
  });
});

describe('leaving the company', () => {
  it('is recognised in English, German, French and Spanish', () => {
    for (const text of [
      'Please note that I am no longer with Contoso.',
      "I've left Fabrikam as of last Friday.",
      'Herr Weber ist nicht mehr im Unternehmen tätig.',
      'Paul ne fait plus partie de la société.',
      'Lucía ya no trabaja en Litware.',
    ]) {
      expect(findLeftCompany(text), text).not.toBeNull();
    }
  });

  it('is not confused with ordinary uses of "left" or "no longer"', () => {
    expect(findLeftCompany('I have left you a voicemail.')).toBeNull();
    expect(findLeftCompany("We're no longer looking at new tools.")).toBeNull();
  });
});

describe('extractOooDetails', () => {
  it('combines return date, referral and departure from subject and text', () => {
    const details = extractOooDetails({
      subject: 'Automatische Antwort: Idee für Contoso',
      ownText:
        'Vielen Dank für Ihre Nachricht. Ich bin ab Montag wieder im Büro. Meine Vertretung ist Jonas Becker, erreichbar unter jonas.becker@contoso.de.',
      from: 'Klaus Weber <klaus.weber@contoso.de>',
      date: wednesday,
    });
    expect(details).toEqual({ returnDate: '2024-12-02', referral: { name: 'Jonas Becker', email: 'jonas.becker@contoso.de' } });
  });
});
