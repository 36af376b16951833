import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { z } from 'zod';
import type { Services } from '../composition/services';
import { paceOutgoing, TeamsRateLimits } from './rate-limits';

/** The Bot Framework settings of the Functions app (bicep sets them from the bot's user-assigned identity). */
const azureBotSettingsSchema = z.object({
  MicrosoftAppId: z.string().min(1, 'MicrosoftAppId is required in Azure: the bot would otherwise accept unauthenticated traffic'),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']),
  MicrosoftAppTenantId: z.string().min(1).optional(),
  /** Only for a bot registered with a client secret; the secret comes from Key Vault through app settings. */
  MicrosoftAppPassword: z.string().min(1).optional(),
});

/** How this process talks to the Bot Connector: one adapter and one set of rate limits, shared by every turn and proactive send. */
export interface BotChannel {
  adapter: CloudAdapter;
  /** Empty locally, where nothing is authenticated. */
  appId: string;
}

function openChannel(environment: Services['environment']): BotChannel {
  const settings =
    environment === 'local'
      ? // The Agents Playground and the Bot Framework Emulator send no tokens; with no app id the adapter accepts them.
        { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' }
      : azureBotSettingsSchema.parse(process.env);
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
  adapter.use(paceOutgoing(new TeamsRateLimits()));
  return { adapter, appId: settings.MicrosoftAppId };
}

// Process-wide on purpose: Teams' rate limits apply to everything this process sends, whichever request or
// notification sends it. Nothing tenant-specific is kept here beyond per-conversation send timings.
let channel: BotChannel | undefined;

export function botChannel(environment: Services['environment']): BotChannel {
  channel ??= openChannel(environment);
  return channel;
}
