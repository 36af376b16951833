import { randomUUID } from 'node:crypto';
import { demoTenant } from '../local/src/seed';

const warmUps = 5;

/** Sorted ascending; the nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Times the bot's `Action.Execute` round trip on a running local suite (seeded with the demo tenant): an
 * `adaptiveCard/action` invoke posted to /api/messages as the Bot Framework Emulator channel would post it,
 * from the demo Manager, until the replacement card comes back in the HTTP response. The action is
 * "refresh the kill switch card": a real read of the tenant's kill switches and campaigns that changes
 * nothing, so runs can repeat. Requests go one after another, after a few unmeasured warm-ups.
 */
export async function measureBotRoundTrip(baseUrl: string, iterations: number): Promise<{ p50: number; p95: number }> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`iterations must be a positive integer, got ${iterations}`);
  const manager = demoTenant.users.find((user) => (user.roles as readonly string[]).includes('Manager'))!;
  const conversation = { id: `bench-${randomUUID()}`, conversationType: 'personal', tenantId: demoTenant.tenantId };
  const press = async (): Promise<number> => {
    const activity = {
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: randomUUID(),
      channelId: 'emulator',
      serviceUrl: baseUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:${manager.userId}`, name: manager.name, aadObjectId: manager.userId },
      recipient: { id: '28:asep-bot', name: 'ASEP' },
      conversation,
      value: { action: { type: 'Action.Execute', verb: 'killswitch.refresh', data: { action: 'killswitch.refresh' } } },
    };
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const body = (await response.json()) as { type?: string; value?: { body?: unknown[] } };
    const elapsed = performance.now() - started;
    if (response.status !== 200 || body.type !== 'application/vnd.microsoft.card.adaptive' || !JSON.stringify(body.value).includes('Kill switch')) {
      throw new Error(`The bot did not answer with the kill switch card (HTTP ${response.status}): ${JSON.stringify(body).slice(0, 300)}`);
    }
    return elapsed;
  };
  for (let i = 0; i < warmUps; i += 1) await press();
  const timings: number[] = [];
  for (let i = 0; i < iterations; i += 1) timings.push(await press());
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p95: percentile(timings, 95) };
}
