import { describe, expect, it } from 'vitest';
import { readMessageDate } from './message-date';

describe('message dates as exported mail carries them', () => {
  it.each([
    ['Wed, 6 Dec 2000 04:41:00 -0800 (PST)', '2000-12-06T04:41:00-08:00'],
    ['Wed, 6 Dec 2000 04:41:00 PST', '2000-12-06T04:41:00-08:00'],
    ['6 Dec 2000 04:41 EDT', '2000-12-06T04:41:00-04:00'],
    ['Thu, 13 Feb 69 23:32 -0330 (Newfoundland Time)', '1969-02-13T23:32:00-03:30'],
    ['Mon, 01 Jan 24 10:00:00 GMT', '2024-01-01T10:00:00Z'],
    ['Fri, 21 Nov 1997 09:55:06 (comment (nested)) +0100', '1997-11-21T09:55:06+01:00'],
    ['Tue, 1 Jul 2003 10:52:37 +0200', '2003-07-01T10:52:37+02:00'],
    ['Tue, 1 Jul 2003 10:52:37 Q', '2003-07-01T10:52:37Z'],
    ['2024-11-27T09:00:00+01:00', '2024-11-27T09:00:00+01:00'],
    ['2024-11-27 09:00:00', '2024-11-27T09:00:00Z'],
  ])('reads %s', (value, iso) => {
    expect(readMessageDate(value)).toEqual({ ok: true, date: iso });
  });

  it.each(['yesterday', '31 Feb 2024 10:00 +0000', 'Mon, 1 Foo 2024 10:00 +0000', ''])('says why %j is not a date', (value) => {
    const read = readMessageDate(value);
    expect(read.ok).toBe(false);
  });
});
