import { z } from 'zod';
import { approvalSchema, type Approval, type ApprovalDecisionInput, type ApprovalStatus } from '@asep/shared/approvals/approval';
import { dealSchema, type Deal, type DealStage } from '@asep/shared/deals/deal';
import { prospectSchema, type Prospect, type ProspectStatus } from '@asep/shared/prospects/prospect';
import { auditEventSchema, chainVerificationSchema, type AuditEvent, type ChainVerification } from '@asep/shared/audit/event';
import { canaryReportSchema, type CanaryReport } from '@asep/shared/campaigns/canary-report';
import {
  killSwitchReleaseReportSchema,
  killSwitchStateSchema,
  type KillSwitchChange,
  type KillSwitchReleaseReport,
  type KillSwitchState,
} from '@asep/shared/killswitch/killswitch';
import { policyDecisionSchema, type PolicyDecision } from '@asep/shared/policy/decision';
import { policyDocumentSchema, type PolicyDocument } from '@asep/shared/policy/document';
import { roiReportSchema, type RoiReport } from '@asep/shared/reports/roi';
import type { AccessTokenSource } from '@asep/shared/client/dev-token';
import { createApiCall, createApiPageCall, pageQuery, parseAnswer, send, type ApiPage } from '@asep/shared/client/call';
import { listedReplySchema, type ListedReply, type ReplyStatus } from '@asep/shared/insights/listed-reply';
import type { ReplyLabel } from '@asep/shared/classification/labels';
import { importJobSchema, importReportSchema, type ImportJob, type ImportReport } from '@asep/shared/prospects/import-report';
import type { ColumnMapping } from '@asep/shared/prospects/mapping';
import {
  campaignStartedSchema,
  campaignStoppedSchema,
  listedCampaignSchema,
  reportSummarySchema,
  type CampaignStarted,
  type CampaignStopped,
  type ListedCampaign,
  type ReportSummary,
} from './responses';

export interface ApiClientOptions {
  /** Where the API's routes start, e.g. `/api` or `https://asep-func.azurewebsites.net/api`. */
  apiBaseUrl: string;
  accessToken: AccessTokenSource;
  fetch?: typeof fetch;
}

export type ReplyFilter = {
  campaignId?: string;
  status?: ReplyStatus;
  label?: ReplyLabel;
};

export type ApprovalFilter = { status?: ApprovalStatus; campaignId?: string };
export type ProspectFilter = { status?: ProspectStatus; campaignId?: string };
export type DealFilter = { stage?: DealStage; campaignId?: string };

export type ConsoleApi = ReturnType<typeof createConsoleApi>;

/** The largest audit page the API serves. */
export const auditPageLimit = 1000;

/**
 * Every call the console makes to the ASEP API: the one place its paths are written. Answers are parsed
 * with their schemas; failures arrive as ApiProblem with the problem+json `detail` and `errors[]`.
 */
export function createConsoleApi({ apiBaseUrl, accessToken, fetch: fetchImpl }: ApiClientOptions) {
  const callOptions = { baseUrl: apiBaseUrl, accessToken, reader: 'the console', ...(fetchImpl && { fetch: fetchImpl }) };
  const call = createApiCall(callOptions);
  const page = createApiPageCall(callOptions);

  /** Sends a list file as it is (bytes, its own content type) to the import route. */
  async function uploadList<T>(file: File, query: Record<string, string>, schema: z.ZodType<T>): Promise<T> {
    const response = await send(fetchImpl ?? globalThis.fetch.bind(globalThis), `${apiBaseUrl}/v1/prospects/import?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await accessToken()}`,
        accept: 'application/json',
        'content-type': file.type || 'application/octet-stream',
      },
      body: file,
    });
    return parseAnswer(response, schema, 'the console');
  }
  const importQuery = (mapping: ColumnMapping, sheet?: string): Record<string, string> => ({
    ...(Object.keys(mapping).length > 0 ? { mapping: JSON.stringify(mapping) } : {}),
    ...(sheet ? { sheet } : {}),
  });

  const segment = encodeURIComponent;

  return {
    /** One page of the tenant's approvals, newest first, by status and campaign. */
    approvals: (filter: ApprovalFilter, limit: number, continuationToken?: string, signal?: AbortSignal): Promise<ApiPage<Approval>> =>
      page(`/v1/approvals?${pageQuery(filter, limit, continuationToken)}`, approvalSchema, { signal }),

    /** One page of the tenant's prospects, by e-mail address, by status and the campaign they are enrolled in. */
    prospects: (filter: ProspectFilter, limit: number, continuationToken?: string, signal?: AbortSignal): Promise<ApiPage<Prospect>> =>
      page(`/v1/prospects?${pageQuery(filter, limit, continuationToken)}`, prospectSchema, { signal }),

    /** One page of the tenant's deals, newest first, by stage and campaign. */
    deals: (filter: DealFilter, limit: number, continuationToken?: string, signal?: AbortSignal): Promise<ApiPage<Deal>> =>
      page(`/v1/deals?${pageQuery(filter, limit, continuationToken)}`, dealSchema, { signal }),

    approve: (approvalId: string, decision: ApprovalDecisionInput = {}): Promise<Approval> =>
      call('POST', `/v1/approvals/${segment(approvalId)}/approve`, approvalSchema, { body: decision }),

    /** Asks the waiting sequence for a new draft of this email: the approval is cancelled and a new one follows. */
    regenerate: (approvalId: string): Promise<Approval> =>
      call('POST', `/v1/approvals/${segment(approvalId)}/regenerate`, approvalSchema, { body: {} }),

    reject: (approvalId: string, decision: ApprovalDecisionInput = {}): Promise<Approval> =>
      call('POST', `/v1/approvals/${segment(approvalId)}/reject`, approvalSchema, { body: decision }),

    campaigns: (signal?: AbortSignal): Promise<ListedCampaign[]> => call('GET', '/v1/campaigns', z.array(listedCampaignSchema), { signal }),

    startCampaign: (campaignId: string, canarySize?: number): Promise<CampaignStarted> =>
      call('POST', `/v1/campaigns/${segment(campaignId)}/start`, campaignStartedSchema, {
        body: canarySize === undefined ? {} : { canary: { size: canarySize } },
      }),

    stopCampaign: (campaignId: string, reason?: string): Promise<CampaignStopped> =>
      call('POST', `/v1/campaigns/${segment(campaignId)}/stop`, campaignStoppedSchema, { body: reason ? { reason } : {} }),

    /** Starts the sequences of everyone enrolled beyond the canary. */
    promoteCanary: (campaignId: string): Promise<CampaignStarted> =>
      call('POST', `/v1/campaigns/${segment(campaignId)}/promote`, campaignStartedSchema, { body: {} }),

    /** Turns the campaign's kill switch on; its canary waits, halted, until someone releases the switch and promotes. */
    haltCanary: (campaignId: string, reason?: string): Promise<CanaryReport> =>
      call('POST', `/v1/campaigns/${segment(campaignId)}/halt`, canaryReportSchema, { body: reason ? { reason } : {} }),

    killSwitches: (signal?: AbortSignal): Promise<KillSwitchState> => call('GET', '/v1/killswitch', killSwitchStateSchema, { signal }),

    changeKillSwitch: (change: KillSwitchChange): Promise<KillSwitchState> => call('PUT', '/v1/killswitch', killSwitchStateSchema, { body: change }),

    /** How far waking the sequences a switch held has come, after it was turned off with "resume". */
    killSwitchRelease: (releaseId: string, signal?: AbortSignal): Promise<KillSwitchReleaseReport> =>
      call('GET', `/v1/killswitch/releases/${segment(releaseId)}`, killSwitchReleaseReportSchema, { signal }),

    policy: (signal?: AbortSignal): Promise<PolicyDocument> => call('GET', '/v1/policies', policyDocumentSchema, { signal }),

    /** `rules` is sent as the person wrote it: the API, not the console, says what is wrong with it. */
    savePolicy: (rules: unknown, version: number): Promise<PolicyDocument> =>
      call('PUT', '/v1/policies', policyDocumentSchema, { body: { rules, version } }),

    /** The decision the policy in force would take on a hypothetical action, without side effects. */
    testPolicy: (action: unknown): Promise<PolicyDecision> => call('POST', '/v1/policies/test', policyDecisionSchema, { body: { action } }),

    /** One page of the audit chain in sequence order, of one event type or all; `continuationToken` from the page before. */
    auditPage: (filter: { type?: string }, limit: number, continuationToken?: string, signal?: AbortSignal): Promise<ApiPage<AuditEvent>> =>
      page(`/v1/audit?${pageQuery(filter, limit, continuationToken)}`, auditEventSchema, { signal }),

    /** One page of the tenant's replies, newest first, by campaign, triage status and label. */
    replies: (filter: ReplyFilter, limit: number, continuationToken?: string, signal?: AbortSignal): Promise<ApiPage<ListedReply>> =>
      page(`/v1/replies?${pageQuery(filter, limit, continuationToken)}`, listedReplySchema, { signal }),

    verifyAudit: (): Promise<ChainVerification> => call('GET', '/v1/audit/verify', chainVerificationSchema),

    /** What importing the file would do, with nothing written. */
    /** What importing the file would do, writing nothing; `sheet` picks a workbook's sheet (else its first). */
    previewImport: (file: File, mapping: ColumnMapping = {}, sheet?: string): Promise<ImportReport> =>
      uploadList(file, { preview: 'true', ...importQuery(mapping, sheet) }, importReportSchema),

    /** Starts importing the file in the background; follow it with `importJob`. */
    startImport: (file: File, mapping: ColumnMapping = {}, sheet?: string): Promise<ImportJob> =>
      uploadList(file, { background: 'true', saveMapping: 'true', ...importQuery(mapping, sheet) }, importJobSchema),

    importJob: (jobId: string, signal?: AbortSignal): Promise<ImportJob> => call('GET', `/v1/imports/${segment(jobId)}`, importJobSchema, { signal }),

    reportSummary: (signal?: AbortSignal): Promise<ReportSummary> => call('GET', '/v1/reports/summary', reportSummarySchema, { signal }),

    /** Managers' numbers for the last `days`, or from `from` up to (not including) `to`. */
    roi: (period: { days: number } | { from: string; to: string }, signal?: AbortSignal): Promise<RoiReport> =>
      call('GET', `/v1/reports/roi?${new URLSearchParams(Object.entries(period).map(([key, value]) => [key, String(value)]))}`, roiReportSchema, {
        signal,
      }),
  };
}
