import { describe, expect, it } from 'vitest';
import { rowErrorsCsv } from './rowErrorsCsv';

describe('the row errors download', () => {
  it('lists every problem by line, rejected or not, with cells a spreadsheet will not run as formulas', () => {
    const csv = rowErrorsCsv({
      errors: [{ row: 7, field: 'email', message: '"=HYPERLINK(1)" is not an e-mail address.' }],
      warnings: [{ row: 3, field: 'phone', message: '=1+1 is not a phone number' }],
    });
    expect(csv.split('\r\n')).toEqual([
      '"line","field","outcome","problem"',
      '"3","phone","imported without this value","\'=1+1 is not a phone number"',
      '"7","email","rejected","""=HYPERLINK(1)"" is not an e-mail address."',
      '',
    ]);
  });
});
