import type { botCommands } from '../cards/message-cards';

export type BotCommand = (typeof botCommands)[number]['title'];

export type ParsedCommand = { command: BotCommand } | { command: 'unrecognised'; text: string };

const spellings: Record<string, BotCommand> = {
  pending: 'pending',
  status: 'status',
  'kill switch': 'kill switch',
  killswitch: 'kill switch',
  help: 'help',
  '?': 'help',
};

/**
 * What a message asks for. In a channel Teams puts `<at>ASEP</at>` in front of the text; case, spacing,
 * hyphens and trailing punctuation do not matter ("Kill-switch!" is "kill switch").
 */
export function parseCommand(text: string | undefined): ParsedCommand {
  const words = (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .toLowerCase()
    .replace(/-/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const command = spellings[words] ?? spellings[words.replace(/[.!]+$/, '')];
  return command ? { command } : { command: 'unrecognised', text: words };
}
