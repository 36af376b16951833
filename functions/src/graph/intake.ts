import * as df from 'durable-functions';
import { getServices, type Services } from '../composition/services';
import { ConflictError, PreconditionFailedError } from '../store/documents';
import { connectedGraph } from './connection';
import { ingestMessages, tendWatch, type Ingested } from './mailbox-watch';
import type { MailIntakeInput, WatchUpkeepInput } from '../orchestrations/contracts/graph-intake';
import { graphRecords, notificationKey, type GraphNotificationRecord } from './records';

/**
 * Keeps each notification the webhook accepted (one record per subscription and message, however often Graph
 * delivers it) and answers those still pending: a record an earlier delivery or attempt settled is left alone.
 */
async function pendingNotifications(services: Services, input: MailIntakeInput): Promise<GraphNotificationRecord[]> {
  const { notifications } = graphRecords(services.store);
  const records = await Promise.all(
    input.graphMessageIds.map(async (graphMessageId) => {
      const key = notificationKey(input.tenantId, input.subscriptionId, graphMessageId);
      try {
        return await notifications.create({
          ...key,
          tenantId: input.tenantId,
          subscriptionId: input.subscriptionId,
          mailbox: input.mailbox,
          graphMessageId,
          changeType: 'created',
          receivedAt: input.receivedAt,
          status: 'pending',
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return notifications.read(key.pk, key.id);
      }
    }),
  );
  return records.filter((record): record is GraphNotificationRecord => record?.status === 'pending');
}

/**
 * Keeps the notifications, fetches the notified messages (batched) and starts triage for each real reply, then
 * records what became of every notification. Notifications already settled by an earlier attempt are skipped.
 */
df.app.activity('graphIngestNotified', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: MailIntakeInput, invocation) => {
    const services = await getServices();
    const { notifications } = graphRecords(services.store);
    const pending = await pendingNotifications(services, input);
    if (pending.length === 0) return { received: 0, ignored: 0 };
    const graph = connectedGraph(services);
    const outcomes: Map<string, Ingested> = graph
      ? await ingestMessages(
          services,
          df.getClient(invocation),
          graph,
          input.tenantId,
          input.mailbox,
          pending.map((record) => record.graphMessageId),
          input.correlationId,
        )
      : new Map(
          pending.map((record) => [record.graphMessageId, { status: 'ignored', outcome: 'Microsoft Graph is not connected in this environment' }]),
        );
    // Replaced as read (or just created); only a record changed meanwhile is read again.
    await Promise.all(
      pending.map((record) =>
        notifications.replace({ ...record, ...outcomes.get(record.graphMessageId)! }).catch((error: unknown) => {
          if (!(error instanceof PreconditionFailedError)) throw error;
          return notifications.update(record.pk, record.id, (current) => ({ ...current, ...outcomes.get(record.graphMessageId)! }));
        }),
      ),
    );
    const received = [...outcomes.values()].filter((outcome) => outcome.status === 'received').length;
    return { received, ignored: outcomes.size - received };
  },
});

df.app.activity('graphTendWatch', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: WatchUpkeepInput, invocation) => {
    const services = await getServices();
    const graph = connectedGraph(services);
    if (!graph) return 'Microsoft Graph is not connected in this environment';
    return tendWatch(services, df.getClient(invocation), graph, input);
  },
});
