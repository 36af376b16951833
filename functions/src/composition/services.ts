import type { ReplyClassification, InboundMessage } from '@asep/shared/classification/schema';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock/clock';
import type { CrmProvider } from '../crm/crm-provider';
import type { TokenValidator } from '../identity/tokens';
import type { MailProvider } from '../mail/mail-provider';
import type { ModelRouter } from '../openai/model-router';
import type { WebsiteFetcher } from '../research/website-fetcher';
import type { Store } from '../store/store';
import type { CalendarProvider } from '../bookings/calendar-provider';
import type { Approval } from '@asep/shared/approvals/approval';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';
import type { RoiReport } from '@asep/shared/reports/roi';
import type { TeamsSender } from '@asep/teams-app/bot/backend';
import type { BotCredentials } from '../bot/channel';

/**
 * Everything the functions need from the outside world, chosen once per environment by its entry point
 * (Azure's app.ts, or the local suite in local/). Whatever differs between the two is a member here:
 * production code never asks which environment it runs in.
 */
export interface Services {
  /** Shown by the operations status route; nothing branches on it. */
  environment: 'local' | 'azure';
  clock: Clock;
  store: Store;
  audit: AuditLog;
  mail: MailProvider;
  crm: CrmProvider;
  calendar: CalendarProvider;
  /** Each tenant's Azure OpenAI deployment under its daily budget (drafting, gray-zone reply review). */
  models: ModelRouter;
  /** Reads prospect companies' public sites for research: the internet in Azure, the sandbox site locally. */
  website: WebsiteFetcher;
  /** Classifies a reply; the tenant decides which model (if any) reviews gray-zone replies. */
  classify: (message: InboundMessage, tenantId: string) => ReplyClassification | Promise<ReplyClassification>;
  tokens: TokenValidator;
  /** Tells the people who decide (Teams bot locally and in Azure) that something awaits them. */
  notify: Notifier;
  /** Whether a token's tenant may be provisioned on first use (locally: any; in Azure: onboarded ones). */
  mayProvision: (tenantId: string) => Promise<boolean>;
  /** Links people can open, e.g. the console's approval page. */
  publicUrl: string;
  /** The key unsubscribe links are signed with: Key Vault's in Azure, a key of the suite's own locally. */
  unsubscribeKey: () => Promise<Buffer>;
  /** How the bot authenticates to the Bot Connector. */
  botCredentials: BotCredentials;
  /** Who sent a Teams activity: as Teams says in Azure; locally the Agents Playground's made-up identities map to the demo tenant. */
  resolveSender: (sender: TeamsSender) => TeamsSender;
}

export interface Notifier {
  approvalCreated(approval: Approval): Promise<void>;
  approvalDecided(approval: Approval): Promise<void>;
  /** A canary crossed a threshold and its campaign stopped sending: those who may promote or halt it should know. */
  canaryHalted(tenantId: string, report: CanaryReport): Promise<void>;
  /** The week's managers' numbers, for everyone who may read reports. */
  weeklyDigest(tenantId: string, report: RoiReport): Promise<void>;
}

let factory: (() => Promise<Services>) | undefined;
let instance: Promise<Services> | undefined;

/** The entry point (Azure's app.ts or the local suite) says how services are built. */
export function provideServices(build: () => Promise<Services>): void {
  factory = build;
  instance = undefined;
}

export function getServices(): Promise<Services> {
  if (!factory) throw new Error('Services were not provided: the entry point must call provideServices() first.');
  instance ??= factory();
  return instance;
}
