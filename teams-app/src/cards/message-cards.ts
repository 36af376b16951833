import type { Permission } from '@asep/shared/access/matrix';
import { type AdaptiveCard, card, cleanText, heading, ourText, plainText, textLimits } from './elements';
import { refusalOf, rolesFor } from './viewer';

/** The bot's text commands; the app manifest's `commandLists` offers the same ones (a test keeps them equal). */
export const botCommands = [
  { title: 'pending', description: 'Show the approvals waiting for a decision' },
  { title: 'status', description: 'Show the kill switches and the running campaigns' },
  { title: 'kill switch', description: 'Stop or resume sending, for everything or for one campaign' },
  { title: 'help', description: 'List what I can do' },
] as const;

/** The list of commands; when `unrecognised` is given, it first says that text was not understood. */
export function buildHelpCard(options: { unrecognised?: string } = {}): AdaptiveCard {
  const unrecognised = cleanText(options.unrecognised, 60);
  return card({
    summary: 'What I can do: pending, status, kill switch, help',
    body: [
      ...(unrecognised ? plainText(`I don't know "${unrecognised}".`, textLimits.name, { weight: 'bolder' }) : []),
      heading('What I can do'),
      {
        type: 'FactSet',
        facts: botCommands.map((command) => ({ title: command.title, value: command.description })),
      },
      ...ourText('Approval, deal and canary cards also arrive here on their own when something needs you.', { isSubtle: true }),
    ],
  });
}

/** Refusal that names the roles which may do what the user tried. */
export function buildNotAllowedCard(permission: Permission): AdaptiveCard {
  const refusal = refusalOf(permission);
  return card({
    summary: refusal,
    body: [
      heading(refusal, { color: 'attention' }),
      ...ourText(`This needs one of these roles: **${rolesFor(permission)}**. Ask an administrator to assign you one in Microsoft Entra ID.`),
    ],
  });
}

/** The card, approval or campaign acted on no longer exists or has expired. */
export function buildNotFoundCard(item: 'approval' | 'campaign'): AdaptiveCard {
  const message = `That ${item} was not found: it may have expired or been removed.`;
  return card({
    summary: message,
    body: [
      heading('Not found', { color: 'warning' }),
      ...ourText(message),
      ...ourText('Type **pending** to see what is waiting.', { isSubtle: true }),
    ],
  });
}

/** Input the bot could not use (a malformed card action, say); `problem` is shown verbatim. */
export function buildErrorCard(problem: string): AdaptiveCard {
  return card({
    summary: "That didn't work",
    body: [
      heading("That didn't work", { color: 'attention' }),
      ...plainText(problem, textLimits.reason),
      ...ourText('Nothing was changed. Type **help** to see what I can do.', { isSubtle: true }),
    ],
  });
}
