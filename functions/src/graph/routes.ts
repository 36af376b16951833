import { randomUUID } from 'node:crypto';
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import type { Services } from '../composition/services';
import { getServices } from '../composition/services';
import { readJson, registerOpen, type ApiResult } from '../http/api';
import { badRequest } from '../http/problem';
import { allTenantIds } from '../tenants/directory';
import { connectedGraph } from './connection';
import './intake';
import { connectedMailboxes } from './mailbox-watch';
import { startOrchestration } from '../orchestrations/contracts/contract';
import { watchUpkeepOrchestration, type WatchUpkeepInput } from '../orchestrations/contracts/graph-intake';
import {
  type AcceptNotifications,
  acceptChangeNotifications,
  acceptLifecycleNotifications,
  changeNotificationCollectionSchema,
} from './notifications';
import { acceptedCorrelationId } from '@asep/shared/audit/change-key';

/**
 * Graph's webhooks. Graph first proves the URL with `?validationToken=…`, which must come back verbatim as
 * text/plain within 10 s. Notifications must be answered within 3 s or Graph retries and eventually drops
 * the subscription, so the handler only checks and starts the intake; the notifications are kept and the
 * message fetched afterwards, in the intake.
 *
 * Every well-formed delivery is answered 202, including one whose clientState is wrong: the forged or stale
 * items are dropped (and audited), and a 4xx would only make Graph retry a delivery that will never verify.
 * Only a body that is not a notification collection at all gets a 400.
 */
function notificationWebhook(accept: AcceptNotifications) {
  return async (request: HttpRequest, services: Services, durable: df.DurableClient | undefined, invocation: InvocationContext) => {
    const validationToken = request.query.get('validationToken');
    if (validationToken !== null) {
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: validationToken };
    }
    if (request.method !== 'POST') throw badRequest('Graph validates this URL with ?validationToken=…; notifications are POSTed.');
    const { value } = await readJson(request, changeNotificationCollectionSchema, 4_000_000);
    const correlationId = acceptedCorrelationId(request.headers.get('x-correlation-id')) ?? randomUUID();
    await accept(services, durable!, value, correlationId, (line) => invocation.warn(line));
    return { status: 202 } satisfies ApiResult;
  };
}

registerOpen(
  'graphNotifications',
  { route: 'graph/notifications', methods: ['GET', 'POST'], durable: true },
  notificationWebhook(acceptChangeNotifications),
);
registerOpen(
  'graphLifecycle',
  { route: 'graph/lifecycle', methods: ['GET', 'POST'], durable: true },
  notificationWebhook(acceptLifecycleNotifications),
);

/**
 * Every 30 minutes, each connected mailbox of each tenant gets its upkeep: a subscription if it has none,
 * renewal before expiry, and the delta backstop. Instance ids are fixed per half hour, so a timer that fires
 * twice schedules the work once.
 */
app.timer('graphUpkeepTimer', {
  schedule: '0 */30 * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (_timer, invocation) => {
    const services = await getServices();
    if (!connectedGraph(services)) return;
    const durable = df.getClient(invocation);
    const halfHour = Math.floor(services.clock.now().getTime() / 1_800_000);
    for (const tenantId of await allTenantIds(services)) {
      for (const mailbox of await connectedMailboxes(services, tenantId)) {
        const input: WatchUpkeepInput = { tenantId, mailbox, reason: 'upkeep', correlationId: `graph-upkeep-${halfHour}` };
        const instanceId = `graph-upkeep-${sha256(`${tenantId}|${mailbox}`).slice(0, 24)}-${halfHour}`;
        await startOrchestration(durable, watchUpkeepOrchestration, instanceId, input).catch((error: unknown) => {
          invocation.warn(`graph: upkeep of a mailbox of tenant ${tenantId} was not scheduled: ${(error as Error).message}`);
        });
      }
    }
  },
});
