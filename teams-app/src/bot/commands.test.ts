import { describe, expect, it } from 'vitest';
import { botCommands } from '../cards/message-cards';
import { parseCommand } from './commands';

describe('parseCommand', () => {
  it('understands every command the app offers in Teams', () => {
    for (const { title } of botCommands) expect(parseCommand(title)).toEqual({ command: title });
  });

  it('ignores the @mention Teams puts in front of a message in a channel, case, spacing and a trailing "!"', () => {
    expect(parseCommand('<at>ASEP</at> Pending')).toEqual({ command: 'pending' });
    expect(parseCommand('  KILL   switch! ')).toEqual({ command: 'kill switch' });
    expect(parseCommand('kill-switch')).toEqual({ command: 'kill switch' });
    expect(parseCommand('killswitch')).toEqual({ command: 'kill switch' });
    expect(parseCommand('?')).toEqual({ command: 'help' });
  });

  it('reports anything else as unrecognised, with the text as the user wrote it once the mention is gone', () => {
    expect(parseCommand('<at>ASEP</at> approve all of them')).toEqual({ command: 'unrecognised', text: 'approve all of them' });
    expect(parseCommand('pending please')).toEqual({ command: 'unrecognised', text: 'pending please' });
    expect(parseCommand(undefined)).toEqual({ command: 'unrecognised', text: '' });
  });
});
