import { sha256 } from '@asep/shared/audit/chain';
import type { Approval, ApprovalDecisionInput } from '@asep/shared/approvals/approval';
import { isHalted } from '@asep/shared/killswitch/killswitch';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { conflict, notFound } from '../http/problem';
import type { Principal } from '../identity/principal';
import { ConflictError } from '../store/documents';
import { auditEdit, checkEdit, editedApproval } from './edits';
import type { ApprovalRecord } from './records';
import { approvalEventName } from '../orchestrations/contracts/approval-events';

export interface ApprovalRequest
  extends
    Pick<ApprovalRecord, 'draftBasis'>,
    Omit<Approval, 'id' | 'status' | 'createdAt' | 'expiresAt' | 'eventName' | 'decidedBy' | 'decidedAt' | 'reason' | 'dealInput'> {
  /** Unique per waiting step: the same key always names the same approval, so a retried activity creates it once. */
  key: string;
  stepIndex?: number;
  stepApproval?: 'every' | 'once' | 'none';
  correlationId: string;
}

export function toApproval(record: ApprovalRecord): Approval {
  const {
    pk: _pk,
    docType: _docType,
    _etag,
    stepIndex: _s,
    stepApproval: _a,
    correlationId: _c,
    draftBasis: _d,
    ...approval
  } = record as ApprovalRecord & Record<string, unknown>;
  for (const key of Object.keys(approval)) if (key.startsWith('_')) delete (approval as Record<string, unknown>)[key];
  return approval as unknown as Approval;
}

/** The id of the approval created for `key`: the same key always names the same approval. */
export const approvalIdFor = (key: string) => `apr-${sha256(key).slice(0, 24)}`;

export async function createApproval(services: Services, request: ApprovalRequest): Promise<ApprovalRecord> {
  const id = approvalIdFor(request.key);
  const pk = hashedPartition(request.tenantId, id);
  const policy = await services.store.forTenant(request.tenantId).policies.read('policy');
  const now = services.clock.now();
  const { key: _key, ...fields } = request;
  let record: ApprovalRecord;
  try {
    record = await services.store.approvals.create({
      ...fields,
      id,
      pk,
      status: 'pending',
      eventName: approvalEventName(id),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (policy?.rules.approvals.expiryHours ?? 72) * 3_600_000).toISOString(),
    });
  } catch (error) {
    if (error instanceof ConflictError) return (await services.store.approvals.read(pk, id))!;
    throw error;
  }
  await services.audit.append(request.tenantId, {
    actor: { type: 'system', id: 'governance' },
    type: 'approval.requested',
    correlationId: request.correlationId,
    idempotencyKey: `approval.requested:${id}`,
    payload: { approvalId: id, kind: record.kind, campaignId: record.campaignId ?? null, prospectId: record.prospectId, to: record.to ?? null },
  });
  await services.notify.approvalCreated(toApproval(record));
  return record;
}

export async function findApproval(services: Services, tenantId: string, approvalId: string): Promise<ApprovalRecord> {
  const record = await services.store.forTenant(tenantId).approvals.read(approvalId);
  if (!record || record.tenantId !== tenantId) throw notFound(`Approval ${approvalId}`);
  return record;
}

export interface ApprovalOutcome {
  approval: Approval;
  /** False when the approval had already been decided this way: nothing changed. */
  changed: boolean;
}

/**
 * Approves or rejects, once. The record changes with a conditional write, so of two clicks racing only
 * one decides; repeating the same decision answers with the current state and changes nothing. The
 * waiting orchestration is told (again, if asked again: it ignores an answer it already has).
 */
export async function decideApproval(
  services: Services,
  raiseEvent: (instanceId: string, eventName: string, data: unknown) => Promise<void>,
  principal: Principal,
  approvalId: string,
  approved: boolean,
  input: ApprovalDecisionInput,
  correlationId: string,
): Promise<ApprovalOutcome> {
  const target = approved ? 'approved' : 'rejected';
  let changed = false;
  const record = await findApproval(services, principal.tenantId, approvalId);
  const decidedAt = services.clock.now().toISOString();
  const edit = approved && input.edited && record.status === 'pending' ? await checkEdit(services, record, input.edited) : undefined;
  // An email approved while a kill switch is on waits for it: the approver is told so at once.
  const held =
    approved &&
    record.kind !== 'deal_create' &&
    record.kind !== 'reply_review' &&
    (await killSwitchHolds(services, principal.tenantId, record.campaignId));
  const decided = await services.store.approvals.update(record.pk, approvalId, (current) => {
    if (current.status !== 'pending') return undefined;
    changed = true;
    return {
      ...current,
      status: target,
      decidedBy: { id: principal.userId, name: principal.name },
      decidedAt,
      ...(held ? { delivery: { status: 'held' as const, at: decidedAt } } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
      ...(edit ? editedApproval(current, edit, principal.userId, decidedAt) : {}),
      ...(current.kind === 'deal_create' && approved ? { dealInput: { stage: input.stage, amount: input.amount } } : {}),
      ...(current.kind === 'reply_review' && approved && current.review
        ? { review: { ...current.review, confirmedLabel: input.label ?? current.review.suggestedLabel } }
        : {}),
    };
  });
  if (!decided) throw notFound(`Approval ${approvalId}`);
  if (decided.status !== target) {
    throw conflict(
      `This approval is already ${decided.status}${decided.decidedBy ? ` by ${decided.decidedBy.name ?? decided.decidedBy.id}` : ''}; nothing was changed.`,
    );
  }
  if (changed) {
    if (approved && decided.stepApproval === 'once' && decided.campaignId && decided.stepIndex !== undefined) {
      const stepIndex = decided.stepIndex;
      await services.store
        .forTenant(principal.tenantId)
        .campaigns.update(decided.campaignId, (campaign) =>
          campaign.approvedSteps?.includes(stepIndex) ? undefined : { ...campaign, approvedSteps: [...(campaign.approvedSteps ?? []), stepIndex] },
        );
    }
    if (edit) await auditEdit(services, principal, record, edit, correlationId);
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: `approval.${target}`,
      correlationId,
      idempotencyKey: `approval.decided:${approvalId}`,
      payload: {
        approvalId,
        kind: decided.kind,
        campaignId: decided.campaignId ?? null,
        prospectId: decided.prospectId,
        reason: input.reason ?? null,
        ...(decided.review?.confirmedLabel ? { label: decided.review.confirmedLabel, suggestedLabel: decided.review.suggestedLabel } : {}),
      },
    });
  }
  await raiseEvent(decided.instanceId, decided.eventName, {
    approved,
    heldByKillSwitch: decided.delivery?.status === 'held',
    by: { id: principal.userId, name: principal.name },
    // From the record, so a repeated approval tells the orchestration about the edit too.
    ...(decided.draftBasis?.edited ? { edited: decided.draftBasis.edited } : {}),
    reason: input.reason,
    stage: input.stage,
    amount: input.amount,
    label: decided.review?.confirmedLabel,
  });
  return { approval: toApproval(decided), changed };
}

async function killSwitchHolds(services: Services, tenantId: string, campaignId: string | undefined): Promise<boolean> {
  const state = await services.store.forTenant(tenantId).killSwitches.read('killswitch');
  return state !== undefined && isHalted(state, campaignId);
}

/**
 * Records that an approved email was held by a kill switch, or finally sent after it was, and updates the cards
 * that show the approval. Changes nothing when the approval already says so.
 */
export async function recordApprovedDelivery(
  services: Services,
  tenantId: string,
  approvalId: string,
  status: NonNullable<Approval['delivery']>['status'],
): Promise<void> {
  let changed = false;
  const record = await services.store.forTenant(tenantId).approvals.update(approvalId, (current) => {
    if (current.status !== 'approved' || current.delivery?.status === status) return undefined;
    changed = true;
    return { ...current, delivery: { status, at: services.clock.now().toISOString() } };
  });
  if (changed && record) await services.notify.approvalDecided(toApproval(record));
}

export async function expireApproval(services: Services, tenantId: string, approvalId: string, correlationId: string): Promise<void> {
  const record = await services.store
    .forTenant(tenantId)
    .approvals.update(approvalId, (current) =>
      current.status === 'pending' ? { ...current, status: 'expired', decidedAt: services.clock.now().toISOString() } : undefined,
    );
  if (record?.status === 'expired') {
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'governance' },
      type: 'approval.expired',
      correlationId,
      idempotencyKey: `approval.expired:${approvalId}`,
      payload: { approvalId, kind: record.kind },
    });
    await services.notify.approvalDecided(toApproval(record));
  }
}

export async function listApprovals(services: Services, tenantId: string, status?: string): Promise<Approval[]> {
  const records = await services.store.approvals.query(
    tenantId,
    status ? 'c.status = @status' : 'true',
    status ? [{ name: '@status', value: status }] : [],
    'ORDER BY c.createdAt DESC',
  );
  return records.map(toApproval);
}
