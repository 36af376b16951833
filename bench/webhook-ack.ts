/**
 * How fast the Graph webhook acknowledges a change notification. Graph wants the answer within 3 s (or it
 * retries and eventually drops the subscription), so this times the 202 alone: the check of the clientState,
 * the stored notification and the scheduled triage, but not the triage itself.
 */
import { randomUUID } from 'node:crypto';

export interface AckLatency {
  /** Milliseconds. */
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * Against a running local suite at `baseUrl`: registers a stand-in subscription for a fresh tenant (a local-only
 * dev route returns its clientState), then posts `iterations` notifications, one at a time, each about a new message.
 */
export async function measureWebhookAck(baseUrl: string, iterations: number): Promise<AckLatency> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be a positive whole number, not ${iterations}`);
  const tenantId = randomUUID();
  const subscribed = await postJson(`${baseUrl}/api/dev/graph/subscriptions`, { tenantId, mailbox: 'bench@seller.example' });
  if (subscribed.status !== 201)
    throw new Error(`The local suite did not register a subscription (${subscribed.status}): ${await subscribed.text()}`);
  const { subscriptionId, clientState, expiresAt } = (await subscribed.json()) as { subscriptionId: string; clientState: string; expiresAt: string };

  const timings: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const messageId = `AAMkAGI2-bench-${randomUUID()}`;
    const notification = {
      subscriptionId,
      subscriptionExpirationDateTime: expiresAt,
      changeType: 'created',
      resource: `Users/bench@seller.example/Messages/${messageId}`,
      resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': `Users/bench@seller.example/Messages/${messageId}`, id: messageId },
      clientState,
      tenantId,
    };
    const started = performance.now();
    const response = await postJson(`${baseUrl}/api/graph/notifications`, { value: [notification] });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 202) throw new Error(`The webhook answered ${response.status} instead of 202.`);
    timings.push(elapsed);
  }
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p99: percentile(timings, 99) };
}
