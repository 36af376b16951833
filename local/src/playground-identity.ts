import type { TeamsSender } from '@asep/teams-app/bot/backend';
import { demoTenant } from './seed';

/**
 * The Microsoft 365 Agents Playground (`npx agentsplayground`) talks as a fixed, made-up tenant and user
 * (its built-in `.m365agentsplayground.yml`: tenant `…0001`, current user Alex Wilber `…0020`). In the local
 * suite only, they stand for the demo tenant and its Manager, so the whole flow can be tried by hand.
 */
export const playgroundDefaults = {
  tenantId: '00000000-0000-0000-0000-0000000000001',
  currentUserAadObjectId: '00000000-0000-0000-0000-0000000000020',
} as const;

const demoManager = demoTenant.users.find((user) => (user.roles as readonly string[]).includes('Manager'))!;

/** The sender as the local suite sees it: the Playground's identities (or no tenant at all) become the demo tenant's. */
export function asDemoSender(sender: TeamsSender): TeamsSender {
  const fromPlayground = sender.tenantId === undefined || sender.tenantId === playgroundDefaults.tenantId;
  if (!fromPlayground) return sender;
  return {
    ...sender,
    tenantId: demoTenant.tenantId,
    ...(sender.aadObjectId === playgroundDefaults.currentUserAadObjectId && { aadObjectId: demoManager.userId, name: demoManager.name }),
  };
}
