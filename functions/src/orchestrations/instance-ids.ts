import { sha256 } from '@asep/shared/audit/chain';

/**
 * Deterministic instance ids: starting the same sequence or triaging the same message twice finds the
 * instance that already exists instead of creating another.
 */
export function sequenceInstanceId(tenantId: string, campaignId: string, prospectId: string): string {
  return `seq-${sha256(`${tenantId}|${campaignId}|${prospectId}`).slice(0, 32)}`;
}

export function triageInstanceId(tenantId: string, internetMessageId: string): string {
  return `triage-${sha256(`${tenantId}|${internetMessageId}`).slice(0, 32)}`;
}

/**
 * The intake of one delivery of notifications for one subscription: Graph redelivering the same notifications
 * (it does when an answer is late) finds the instance already there instead of starting another.
 */
export function graphIntakeInstanceId(tenantId: string, subscriptionId: string, graphMessageIds: readonly string[]): string {
  return `graph-intake-${sha256(`${tenantId}|${subscriptionId}|${[...graphMessageIds].sort().join('|')}`).slice(0, 32)}`;
}

/** Gating again after a person corrected a reply's label; one instance per message and correction. */
export function regateInstanceId(tenantId: string, messageId: string, correction: number): string {
  return `regate-${sha256(`${tenantId}|${messageId}|${correction}`).slice(0, 32)}`;
}

/** A sequence's email in one execution: a retried send finds the touch it recorded under the same id. */
export function touchIdFor(sequenceInstanceId: string, iteration: number): string {
  return `out-${sha256(`${sequenceInstanceId}:${iteration}`).slice(0, 40)}`;
}

/** The background start of a campaign's sequences; a retried start finds the one under way. */
export function campaignStartInstanceId(tenantId: string, campaignId: string): string {
  return `start-${sha256(`${tenantId}|${campaignId}`).slice(0, 32)}`;
}

/** One release of a kill switch (turned off with `resume`): named when the switch is saved off, started once. */
export function killSwitchReleaseInstanceId(tenantId: string, nonce: string): string {
  return `release-${sha256(`${tenantId}|${nonce}`).slice(0, 32)}`;
}
