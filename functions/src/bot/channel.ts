import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { z } from 'zod';
import { paceOutgoing, TeamsRateLimits } from './rate-limits';

/** The Bot Framework settings of the Functions app (bicep sets them from the bot's user-assigned identity). */
const botCredentialsSchema = z.object({
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

export type BotCredentials = z.infer<typeof botCredentialsSchema>;

/** Reads the bot's credentials from the app settings; fails naming the missing one. */
export function readBotCredentials(settings: Record<string, string | undefined>): BotCredentials {
  return botCredentialsSchema.parse(settings);
}

function openChannel(credentials: BotCredentials): BotChannel {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(credentials));
  adapter.use(paceOutgoing(new TeamsRateLimits()));
  return { adapter, appId: credentials.MicrosoftAppId };
}

// Process-wide on purpose: Teams' rate limits apply to everything this process sends, whichever request or
// notification sends it. Nothing tenant-specific is kept here beyond per-conversation send timings.
let channel: BotChannel | undefined;

export function botChannel(credentials: BotCredentials): BotChannel {
  channel ??= openChannel(credentials);
  return channel;
}
