import { type Permission, permissionMatrix } from '@asep/shared/access/matrix';
import { type AdaptiveCard, card, cleanText, heading, ourText, plainText, textLimits } from './elements';

/** The bot's text commands; the app manifest's `commandLists` offers the same ones (a test keeps them equal). */
export const botCommands = [
  { title: 'pending', description: 'Show the approvals waiting for a decision' },
  { title: 'status', description: 'Show the kill switches and the running campaigns' },
  { title: 'kill switch', description: 'Stop or resume sending, for everything or for one campaign' },
  { title: 'help', description: 'List what I can do' },
] as const;

/** What each permission lets someone do, phrased to follow "You can't …". */
const permissionPhrases: Record<Permission, string> = {
  'prospects.import': 'import prospects',
  'prospects.read': 'see prospects',
  'campaigns.write': 'create or edit campaigns',
  'campaigns.read': 'see campaigns',
  'campaigns.run': 'start, stop, promote or halt campaigns',
  'approvals.read': 'see approvals',
  'approvals.decide': 'approve or reject',
  'killswitch.tenant': 'turn the kill switch for all sending on or off',
  'killswitch.campaign': "turn a campaign's kill switch on or off",
  'killswitch.read': 'see the kill switches',
  'policies.read': 'see the policies',
  'policies.write': 'change the policies',
  'policies.test': 'test the policies',
  'audit.read': 'read the audit log',
  'insights.read': 'see email insights',
  'replies.correct': 'correct reply labels',
  'reps.write': "change reps' hours, zones and signatures",
  'bookings.write': 'book meetings',
  'deals.read': 'see deals',
  'reports.read': 'see reports',
  'profile.read': 'see your profile',
  'ops.read': 'see the service status',
  'tenant.offboard': 'offboard the tenant',
  'integrations.manage': 'connect integrations',
};

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
  const roles = permissionMatrix[permission].join(', ');
  const refusal = `You can't ${permissionPhrases[permission]}.`;
  return card({
    summary: refusal,
    body: [
      heading(refusal, { color: 'attention' }),
      ...ourText(`This needs one of these roles: **${roles}**. Ask an administrator to assign you one in Microsoft Entra ID.`),
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
