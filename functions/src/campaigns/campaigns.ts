import pLimit from 'p-limit';
import type { Campaign } from '@asep/shared/campaigns/campaign';
import { tenantPartition } from '@asep/shared/tenancy/partitioning';
import type { DurableClient } from 'durable-functions';
import type { Services } from '../composition/services';
import { notFound } from '../http/problem';
import { sequenceInstanceId } from '../orchestrations/instance-ids';
import type { SequenceInput } from '../orchestrations/sequence';
import type { CampaignRecord } from './records';

export function toCampaign(record: CampaignRecord): Campaign {
  const { pk: _pk, docType: _docType, ...rest } = record;
  return Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('_'))) as unknown as Campaign;
}

export async function findCampaign(services: Services, tenantId: string, campaignId: string): Promise<CampaignRecord> {
  const record = await services.store.campaigns.read(tenantPartition(tenantId), campaignId);
  if (!record || record.tenantId !== tenantId) throw notFound(`Campaign ${campaignId}`);
  return record;
}

/**
 * Starts one sequence per prospect, skipping any whose sequence already exists, so starting twice
 * (or resuming after a partial start) never runs a prospect through the campaign twice.
 */
export async function startSequences(
  durable: DurableClient,
  campaign: CampaignRecord,
  prospectIds: readonly string[],
  correlationId: string,
): Promise<{ started: number; alreadyRunning: number }> {
  const limit = pLimit(8);
  const outcomes = await Promise.all(
    prospectIds.map((prospectId) =>
      limit(async () => {
        const instanceId = sequenceInstanceId(campaign.tenantId, campaign.id, prospectId);
        const status = await durable.getStatus(instanceId).catch(() => undefined);
        if (status?.runtimeStatus && ['Running', 'Pending', 'Completed', 'Failed'].includes(String(status.runtimeStatus))) return 'alreadyRunning';
        const input: SequenceInput = { tenantId: campaign.tenantId, campaignId: campaign.id, prospectId, stepIndex: 0, iteration: 0, correlationId };
        await durable.startNew('sequence', { instanceId, input });
        return 'started';
      }),
    ),
  );
  return {
    started: outcomes.filter((o) => o === 'started').length,
    alreadyRunning: outcomes.filter((o) => o === 'alreadyRunning').length,
  };
}

/** Stops every sequence of the campaign and withdraws its pending approvals; nothing more is sent. */
export async function stopSequences(services: Services, durable: DurableClient, campaign: CampaignRecord, reason: string): Promise<number> {
  const limit = pLimit(8);
  const stopped = await Promise.all(
    campaign.enrolledProspectIds.map((prospectId) =>
      limit(async () => {
        const instanceId = sequenceInstanceId(campaign.tenantId, campaign.id, prospectId);
        const status = await durable.getStatus(instanceId).catch(() => undefined);
        if (!status || !['Running', 'Pending'].includes(String(status.runtimeStatus))) return false;
        await durable.terminate(instanceId, reason);
        return true;
      }),
    ),
  );
  const pending = await services.store.approvals.query(campaign.tenantId, "c.campaignId = @campaignId AND c.status = 'pending'", [
    { name: '@campaignId', value: campaign.id },
  ]);
  for (const approval of pending) {
    await services.store.approvals.update(approval.pk, approval.id, (current) =>
      current.status === 'pending' ? { ...current, status: 'cancelled', reason, decidedAt: services.clock.now().toISOString() } : undefined,
    );
  }
  return stopped.filter(Boolean).length;
}
