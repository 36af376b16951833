import { describe, expect, it } from 'vitest';
import { mapHeaders } from './mapping';
import { importRow } from './import-row';
import { countryCode, domainFromWebsite, parseEmailCell, splitFullName, timeZoneFor, toE164 } from './normalise';

describe('normalising imported prospect fields', () => {
  it.each([
    [' Ann.Lee@Example.COM ', 'ann.lee@example.com', undefined],
    ['mailto:ann@example.com?subject=Hi', 'ann@example.com', undefined],
    ['<ann@example.com>', 'ann@example.com', undefined],
    ['"Lee, Ann" <Ann@Example.com>', 'ann@example.com', 'Lee, Ann'],
    ['Ann Lee <ann@example.com>', 'ann@example.com', 'Ann Lee'],
  ])('reads the address in %j', (cell, email, displayName) => {
    expect(parseEmailCell(cell)).toEqual({ email, ...(displayName ? { displayName } : {}) });
  });

  it('splits full names, including "Last, First" and particles', () => {
    expect(splitFullName('José Müller')).toEqual({ firstName: 'José', lastName: 'Müller' });
    expect(splitFullName('Müller, José')).toEqual({ firstName: 'José', lastName: 'Müller' });
    expect(splitFullName('Dr. Anna von der Heide')).toEqual({ firstName: 'Anna', lastName: 'von der Heide' });
  });

  it('writes phone numbers in E.164, using the country for national numbers', () => {
    expect(toE164('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(toE164('089 1234567', 'Germany')).toBe('+49891234567');
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(toE164('call me')).toBeUndefined();
  });

  it('takes the domain from a website written any way', () => {
    expect(domainFromWebsite('https://www.Acme.example/about?x=1')).toBe('acme.example');
    expect(domainFromWebsite('acme.example')).toBe('acme.example');
    expect(domainFromWebsite('n/a')).toBeUndefined();
  });

  it('finds the time zone from the city, the state or a single-zone country', () => {
    expect(timeZoneFor({ city: 'Munich', country: 'DE' })).toBe('Europe/Berlin');
    expect(timeZoneFor({ state: 'CA', country: 'USA' })).toBe('America/Los_Angeles');
    expect(timeZoneFor({ state: 'New York', country: 'United States' })).toBe('America/New_York');
    expect(timeZoneFor({ country: 'France' })).toBe('Europe/Paris');
    expect(timeZoneFor({ country: 'United States' })).toBeUndefined();
    expect(countryCode('Atlantis')).toBeUndefined();
  });

  it('keeps a row with a bad phone, dropping the phone with a warning; rejects a row without an address', () => {
    const { columns } = mapHeaders(['Contact Name', 'Email', 'Phone', 'Account Name', 'Website']);
    const good = importRow(2, ['Ann Lee', 'ann@acme.example', 'ask reception', 'Acme', 'https://acme.example'], columns);
    expect(good.fields).toMatchObject({ firstName: 'Ann', lastName: 'Lee', fullName: 'Ann Lee', company: 'Acme', domain: 'acme.example' });
    expect(good.fields?.phone).toBeUndefined();
    expect(good.issues).toEqual([expect.objectContaining({ line: 2, field: 'phone', severity: 'warning' })]);
    const bad = importRow(3, ['Bob', '', '', 'Acme', ''], columns);
    expect(bad.fields).toBeUndefined();
    expect(bad.issues).toEqual([{ line: 3, field: 'email', message: 'The e-mail is missing.', severity: 'error' }]);
  });

  it('strips line breaks and control characters from single-line fields', () => {
    const { columns } = mapHeaders(['Email', 'Company']);
    expect(importRow(2, ['a@b.example', 'Acme\r\nBcc: x@y\u0007'], columns).fields?.company).toBe('Acme Bcc: x@y');
  });
});
