import { createHash } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { ConversationPlace } from '@asep/teams-app/bot/backend';
import type { Services } from '../composition/services';
import type { ConversationReferenceRecord } from './records';

/**
 * Conversation references in the tenant's partition: one per user's personal chat, one per team, and one per
 * card posted about a pending approval (deleted once that card has been updated with the outcome, so they do
 * not pile up in the partition).
 */

const recordId = {
  personal: (aadObjectId: string) => `convref-personal-${aadObjectId}`,
  team: (teamId: string) => `convref-team-${digest(teamId)}`,
  approvalCard: (approvalId: string, conversationId: string, activityId: string) =>
    `convref-card-${approvalId}-${digest(`${conversationId}|${activityId}`)}`,
};

/** Teams ids (`19:…@thread.tacv2`) may hold characters Cosmos ids cannot. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

export async function saveConversationReference(
  services: Services,
  owner: { tenantId: string; aadObjectId: string },
  place: ConversationPlace,
  reference: Partial<ConversationReference>,
): Promise<void> {
  // The chat itself, not the message that happened to bring it: proactive messages start new threads.
  const { activityId: _message, ...chat } = reference;
  await services.store.forTenant(owner.tenantId).conversationReferences.upsert({
    id: place.scope === 'personal' ? recordId.personal(owner.aadObjectId) : recordId.team(place.teamId),
    scope: place.scope,
    ...(place.scope === 'personal' ? { aadObjectId: owner.aadObjectId } : { teamId: place.teamId }),
    reference: chat as Record<string, unknown>,
    updatedAt: services.clock.now().toISOString(),
  });
}

export async function deleteConversationReference(
  services: Services,
  owner: { tenantId: string; aadObjectId: string },
  place: ConversationPlace,
): Promise<void> {
  const id = place.scope === 'personal' ? recordId.personal(owner.aadObjectId) : recordId.team(place.teamId);
  await deleteRecord(services, owner.tenantId, id);
}

export async function personalConversationReference(
  services: Services,
  tenantId: string,
  aadObjectId: string,
): Promise<Partial<ConversationReference> | undefined> {
  const record = await services.store.forTenant(tenantId).conversationReferences.read(recordId.personal(aadObjectId));
  return record?.reference as Partial<ConversationReference> | undefined;
}

/** `reference.activityId` must be the id of the message that holds the card. */
export async function saveApprovalCardReference(
  services: Services,
  owner: { tenantId: string; aadObjectId: string },
  place: ConversationPlace,
  approvalId: string,
  reference: Partial<ConversationReference>,
): Promise<void> {
  await services.store.forTenant(owner.tenantId).conversationReferences.upsert({
    id: recordId.approvalCard(approvalId, reference.conversation?.id ?? '', reference.activityId ?? ''),
    scope: place.scope,
    ...(place.scope === 'personal' ? { aadObjectId: owner.aadObjectId } : { teamId: place.teamId }),
    approvalId,
    reference: reference as Record<string, unknown>,
    updatedAt: services.clock.now().toISOString(),
  });
}

export async function approvalCardReferences(services: Services, tenantId: string, approvalId: string): Promise<ConversationReferenceRecord[]> {
  return services.store.conversationReferences.query(tenantId, 'c.approvalId = @approvalId', [{ name: '@approvalId', value: approvalId }]);
}

export async function deleteApprovalCardReference(services: Services, record: ConversationReferenceRecord): Promise<void> {
  await deleteRecord(services, record.tenantId, record.id);
}

// References are the one kind of record that is removed (uninstalls, updated cards); one already gone is fine.
async function deleteRecord(services: Services, tenantId: string, id: string): Promise<void> {
  await services.store.forTenant(tenantId).conversationReferences.delete(id);
}
