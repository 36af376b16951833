import * as df from 'durable-functions';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import { getServices } from '../composition/services';
import { connectedGraph } from './connection';
import { ingestMessages, tendWatch, type Ingested } from './mailbox-watch';
import type { MailIntakeInput, WatchUpkeepInput } from '../orchestrations/contracts/graph-intake';
import { graphRecords, type GraphNotificationRecord } from './records';

/**
 * Fetches the notified messages (batched) and starts triage for each real reply, then records what became of
 * every notification. Notifications already settled by an earlier attempt are skipped.
 */
df.app.activity('graphIngestNotified', {
  extraInputs: [df.input.durableClient()],
  handler: async (input: MailIntakeInput, invocation) => {
    const services = await getServices();
    const { notifications } = graphRecords(services.store);
    const records = await Promise.all(input.notificationIds.map((id) => notifications.read(hashedPartition(input.tenantId, id), id)));
    const pending = records.filter((record): record is GraphNotificationRecord => record?.status === 'pending');
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
    await Promise.all(
      pending.map((record) =>
        notifications.update(record.pk, record.id, (current): GraphNotificationRecord => ({ ...current, ...outcomes.get(record.graphMessageId)! })),
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
