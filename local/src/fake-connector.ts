import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

/** One call the bot made to the connector, as Teams would have received it. */
export interface ConnectorCall {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** The message being replied to (POST) or updated (PUT). */
  activityId?: string;
  activity: Partial<Activity>;
  /** What the fake answered, and the id it gave a new message. */
  status: number;
  createdId?: string;
}

/**
 * Test support: a Bot Connector (the service Teams runs at `serviceUrl`) on 127.0.0.1 that accepts messages
 * and updates, records them, and can be told to answer a conversation's next calls with errors.
 */
export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly faults = new Map<string, number[]>();
  private server?: Server;
  private nextId = 1;

  static async start(): Promise<FakeBotConnector> {
    const connector = new FakeBotConnector();
    connector.server = createServer((req, res) => {
      void connector.answer(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => connector.server!.listen(0, '127.0.0.1', resolve));
    return connector;
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  /** The next calls for this conversation are answered with these statuses, in order; later ones succeed. */
  failNext(conversationId: string, ...statuses: number[]): void {
    this.faults.set(conversationId, [...(this.faults.get(conversationId) ?? []), ...statuses]);
  }

  accepted(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((call) => call.status < 300 && (conversationId === undefined || call.conversationId === conversationId));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!match || (req.method !== 'POST' && req.method !== 'PUT'))
      return { status: 404, body: { error: { code: 'NotFound', message: `no route ${req.method} ${req.url}` } } };
    const conversationId = decodeURIComponent(match[1]!);
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    const status = this.faults.get(conversationId)?.shift() ?? (req.method === 'PUT' ? 200 : 201);
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>;
    const createdId = req.method === 'POST' && status < 300 ? `fake-activity-${this.nextId++}` : undefined;
    this.calls.push({ method: req.method, conversationId, ...(activityId && { activityId }), activity, status, ...(createdId && { createdId }) });
    if (status >= 300) return { status, body: { error: { code: status === 429 ? 'Throttled' : 'ServiceError', message: 'injected by the test' } } };
    return { status, body: { id: createdId ?? activityId } };
  }
}
