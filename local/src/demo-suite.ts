import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Approval } from '@asep/shared/approvals/approval';
import type { AuditEvent } from '@asep/shared/audit/event';
import { AsepBot } from '@asep/teams-app/bot/asep-bot';
import { call, eventually } from './suite-api';
import { demoTenant } from './seed';
import { type LocalSuite, startLocalSuite } from './start';
import { FakeBotConnector } from './fake-connector';
import type { TeamsNotifier } from '@asep/functions/bot/notifier';
import { TeamsChat, type TeamsPerson } from '@asep/functions/bot/teams-chat';
import { saveConversationReference } from '@asep/functions/bot/conversation-references';
import type { ConversationReference } from 'botbuilder';

type DemoRole = 'Owner' | 'Admin' | 'RevOps' | 'Manager' | 'Operator' | 'Auditor';

export interface SentEmail {
  internetMessageId: string;
  to: string;
  subject: string;
}

/**
 * Test support: the real local suite in this process (seeded demo tenant, real store, durable host and
 * notifier) with a fake Bot Connector for everything the bot sends, and the demo users as Teams people.
 */
export class DemoSuite {
  readonly tenantId = demoTenant.tenantId;
  /** What the bot logged as failed turns; a test that expects none asserts it stays empty. */
  readonly botFailures: string[] = [];

  private constructor(
    readonly suite: LocalSuite,
    readonly connector: FakeBotConnector,
    private readonly dataDir: string,
    /** What the suite logged (failed activities and the like), for a failing test to show. */
    readonly suiteLog: string[],
  ) {}

  static async start(): Promise<DemoSuite> {
    const dataDir = await mkdtemp(join(tmpdir(), 'asep-bot-'));
    const log: string[] = [];
    const suite = await startLocalSuite({ port: 0, dataDir, reset: true, seed: true, log: (line) => log.push(line) });
    return new DemoSuite(suite, await FakeBotConnector.start(), dataDir, log);
  }

  get baseUrl(): string {
    return this.suite.baseUrl;
  }

  person(role: DemoRole): TeamsPerson {
    const user = demoTenant.users.find((candidate) => (candidate.roles as readonly string[]).includes(role))!;
    return { aadObjectId: user.userId, name: user.name };
  }

  /** A personal chat with the real bot and backend; decisions reach the durable host as the API's do. */
  async chatAs(role: DemoRole): Promise<TeamsChat> {
    // Imported only now: the backend pulls in route modules, which must register after the local host is in place.
    const { createBotBackend } = await import('@asep/functions/bot/backend');
    const { services } = this.suite;
    const backend = createBotBackend(services, services.durableHost.directClient(), randomUUID());
    const bot = new AsepBot(backend, (line) => this.botFailures.push(line));
    return new TeamsChat(bot, this.person(role), this.tenantId, this.connector.serviceUrl);
  }

  /** Records the personal chat `conversationId` of `role` with the bot, as the bot does when they first talk to it. */
  async reachableInTeams(role: DemoRole, conversationId: string): Promise<void> {
    const person = this.person(role);
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: this.connector.serviceUrl,
      conversation: { id: conversationId, conversationType: 'personal', tenantId: this.tenantId, isGroup: false, name: '' },
      user: { id: `29:${person.aadObjectId}`, name: person.name, aadObjectId: person.aadObjectId },
      bot: { id: '28:asep-bot', name: 'ASEP' },
    };
    await saveConversationReference(
      this.suite.services,
      { tenantId: this.tenantId, aadObjectId: person.aadObjectId },
      { scope: 'personal' },
      reference,
    );
  }

  async token(role: DemoRole): Promise<string> {
    const { aadObjectId, name } = this.person(role);
    const { body } = await call<{ access_token: string }>(this.baseUrl, 'POST', 'dev/token', {
      json: { tenantId: this.tenantId, userId: aadObjectId, name, roles: [role] },
    });
    return body.access_token;
  }

  /**
   * Turns the demo tenant's sending window off: card and bot flows are about what is sent, not when, and run at any
   * hour; the window itself is proven in policy-sending-window.test.ts and reps-and-time.test.ts.
   */
  async sendAtAnyHour(): Promise<void> {
    const admin = await this.token('Admin');
    const policy = (await call<any>(this.baseUrl, 'GET', 'v1/policies', { token: admin })).body;
    const saved = await call(this.baseUrl, 'PUT', 'v1/policies', {
      token: admin,
      json: { rules: { ...policy.rules, sendingWindow: { ...policy.rules.sendingWindow, enabled: false } }, version: policy.version },
    });
    if (saved.status !== 200) throw new Error(`turning the sending window off failed: ${JSON.stringify(saved.body)}`);
  }

  async startDemoCampaign(): Promise<void> {
    const started = await call(this.baseUrl, 'POST', `v1/campaigns/${demoTenant.campaignId}/start`, { token: await this.token('Manager'), json: {} });
    if (started.status !== 202) throw new Error(`the demo campaign did not start: ${started.status} ${JSON.stringify(started.body)}`);
  }

  async approvals(status: Approval['status']): Promise<Approval[]> {
    const { body } = await call<Approval[]>(this.baseUrl, 'GET', `v1/approvals?status=${status}`, { token: await this.token('Manager') });
    return body;
  }

  async approval(id: string): Promise<Approval> {
    const all = await call<Approval[]>(this.baseUrl, 'GET', 'v1/approvals', { token: await this.token('Manager') });
    const found = all.body.find((approval) => approval.id === id);
    if (!found) throw new Error(`approval ${id} is not listed`);
    return found;
  }

  /** Waits until at least `count` approvals are pending (and `match` them, if given). */
  async pendingApprovals(count: number, match: (approval: Approval) => boolean = () => true): Promise<Approval[]> {
    return eventually(async () => {
      const pending = (await this.approvals('pending')).filter(match);
      return pending.length >= count ? pending : undefined;
    }, `${count} pending approval(s)`);
  }

  async outbox(to?: string): Promise<SentEmail[]> {
    const query = new URLSearchParams({ tenantId: this.tenantId, ...(to && { to }) });
    return (await call<SentEmail[]>(this.baseUrl, 'GET', `dev/mailbox/outbox?${query}`)).body;
  }

  async audit(type: string): Promise<AuditEvent[]> {
    return (await this.suite.services.audit.all(this.tenantId)).filter((event) => event.type === type);
  }

  /** Waits until the suite's notifier has delivered (or given up on) everything queued so far. */
  async notificationsSettled(): Promise<void> {
    await (this.suite.services.notify as TeamsNotifier).idle();
  }

  async close(): Promise<void> {
    await this.suite.close();
    await this.connector.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
