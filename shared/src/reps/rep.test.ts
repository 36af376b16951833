import { describe, expect, it } from 'vitest';
import { nameFromMailbox, repUpdateSchema, withSignature } from './rep';

describe('a rep', () => {
  it('signs emails once with their own signature', () => {
    expect(withSignature('Hi Dana,\n\nWorth a look?\n', { signature: 'Ava Chen\nNorthwind' })).toBe(
      'Hi Dana,\n\nWorth a look?\n\nAva Chen\nNorthwind',
    );
    expect(withSignature('Hi Dana,\n\nAva Chen\nNorthwind', { signature: 'Ava Chen\nNorthwind' })).toBe('Hi Dana,\n\nAva Chen\nNorthwind');
    expect(withSignature('Hi Dana', {})).toBe('Hi Dana');
  });

  it('refuses hours that end before they start, unknown zones and empty weeks, naming the field', () => {
    const result = repUpdateSchema.safeParse({ timeZone: 'Mars/Olympus', workingHours: { start: '17:00', end: '09:00', days: [] } });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['timeZone', 'workingHours.days']));
    expect(repUpdateSchema.safeParse({ workingHours: { start: '17:00', end: '09:00', days: [1] } }).error!.issues[0]!.path).toEqual([
      'workingHours',
      'end',
    ]);
  });

  it('is named from the mailbox until someone names them', () => {
    expect(nameFromMailbox('ava.chen@northwind.example')).toBe('Ava Chen');
  });
});
