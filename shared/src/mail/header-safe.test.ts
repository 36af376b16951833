import { describe, expect, it } from 'vitest';
import { headerSafe, headerSafeFields, isHeaderSafe } from './header-safe';

const injections = [
  'Eve\r\nBcc: attacker@evil.example',
  'Eve\nBcc: attacker@evil.example',
  'Eve\rBcc: attacker@evil.example',
  'Eve\u0085Bcc: attacker@evil.example',
  'Eve\u2028Bcc: attacker@evil.example',
  'Eve\u2029Bcc: attacker@evil.example',
  'Eve\u0000\r\n\r\nBody of my choosing',
  'Eve\tX-Header: value',
  'Eve\u000bX: y\u000cZ: w',
  '\r\n\r\nEve',
  'Eve\uD800\r\nBcc: x@y.example',
];

describe('header-safe text', () => {
  it.each(injections)('keeps %j on one line', (value) => {
    const safe = headerSafe(value);
    // eslint-disable-next-line no-control-regex
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(safe).toMatch(/^Eve|^Eve$/);
    expect(isHeaderSafe(value)).toBe(false);
  });

  it('leaves ordinary names and subjects, accents and emoji included, as they are', () => {
    for (const value of ['Zoë Ångström', 'Idea for Müller & Söhne GmbH', '李小龙', 'Q3 plan 🚀', "O'Brien-Smith"]) {
      expect(headerSafe(value)).toBe(value);
      expect(isHeaderSafe(value)).toBe(true);
    }
  });

  it('trims and squeezes the spaces ordinary-looking values carry, however they are written', () => {
    expect(headerSafe('\u00a0Zoë Ångström\u00a0')).toBe('Zoë Ångström');
    expect(headerSafe('Idea  for   Müller')).toBe('Idea for Müller');
    expect(headerSafe('\u3000李小龙 ')).toBe('李小龙');
    expect(headerSafe('Eve\uDC00')).toBe('Eve');
    expect(isHeaderSafe(' Eve')).toBe(false);
  });

  it('makes every string field of a record safe and leaves the rest', () => {
    expect(headerSafeFields({ firstName: 'Eve\r\nBcc: a@b.example', doNotContact: true })).toEqual({
      firstName: 'Eve Bcc: a@b.example',
      doNotContact: true,
    });
  });
});
