import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sha256 } from '@asep/shared/audit/chain';
import { changeKey } from '@asep/shared/audit/change-key';
import { newCampaignSchema, sendingMailboxes, startCampaignSchema } from '@asep/shared/campaigns/campaign';
import { campaignIdSchema, prospectIdSchema } from '@asep/shared/ids/ids';
import type { DurableClient } from 'durable-functions';
import type { Services } from '../composition/services';
import { canaryCohortSize, canaryInstanceId, canaryReport, haltCanary, heldToCanary, promoteCanary } from '../deliverability/canary';
import { registerApi } from '../http/api';
import { badRequest, conflict } from '../http/problem';
import type { Principal } from '../identity/principal';
import { startOrchestration } from '../orchestrations/contracts/contract';
import { canaryRunOrchestration, type CanaryRunInput } from '../orchestrations/contracts/canary';
import { campaignStartProgressSchema } from '../orchestrations/contracts/campaign-start';
import { campaignStartInstanceId } from '../orchestrations/instance-ids';
import { currentPolicy } from '../policies/policies';
import { writeMany } from '../store/bulk';
import { ConflictError } from '../store/documents';
import { findCampaign, startCampaign, startSequences, stopCampaign, toCampaign } from './campaigns';
import type { CampaignRecord } from './records';
import type { ProspectRecord } from '../prospects/records';
import { assignableProspects } from './assignment';
import { enrolProspects, toEnrolment } from './enrolments';
import { pageQuerySchema, pageResponse, queryPage } from '../http/paging';

const campaignPath = z.object({ id: campaignIdSchema });

registerApi(
  'campaignsCreate',
  { route: 'v1/campaigns', methods: ['POST'], permission: 'campaigns.write', body: newCampaignSchema },
  async ({ services, principal, body, request, correlationId }) => {
    // An Idempotency-Key header makes a retried create return the campaign it already made.
    const idempotencyKey = request.headers.get('idempotency-key');
    const id = idempotencyKey
      ? `cmp-${sha256(`${principal.tenantId}|${idempotencyKey}`).slice(0, 16)}`
      : `cmp-${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const mailboxes = sendingMailboxes(body);
    if (mailboxes.length === 0) {
      throw badRequest('Name the mailbox the campaign sends from ("mailbox"), or the reps\' mailboxes ("mailboxes").', [
        { field: 'mailbox', message: 'required unless mailboxes is given' },
      ]);
    }
    try {
      const record = await services.store.forTenant(principal.tenantId).campaigns.create({
        ...body,
        mailbox: mailboxes[0]!,
        mailboxes,
        mailboxLoad: {},
        id,
        status: 'draft',
        enrolled: 0,
        approvedSteps: [],
        createdBy: principal.userId,
        createdAt: services.clock.now().toISOString(),
      });
      await services.audit.append(principal.tenantId, {
        actor: { type: 'user', id: principal.userId, name: principal.name },
        type: 'campaign.created',
        correlationId,
        idempotencyKey: `campaign.created:${id}`,
        payload: {
          campaignId: id,
          name: body.name,
          mailbox: mailboxes[0],
          mailboxes,
          assignment: body.assignment?.rule ?? null,
          steps: body.sequence.steps.length,
        },
      });
      return { status: 201, body: toCampaign(record) };
    } catch (error) {
      if (error instanceof ConflictError) return { status: 200, body: toCampaign(await findCampaign(services, principal.tenantId, id)) };
      throw error;
    }
  },
);

registerApi('campaignsList', { route: 'v1/campaigns', methods: ['GET'], permission: 'campaigns.read' }, async ({ services, principal }) => ({
  body: (await services.store.campaigns.query(principal.tenantId, 'true', [], 'ORDER BY c.createdAt DESC')).map(toCampaign),
}));

registerApi(
  'campaignsGet',
  { route: 'v1/campaigns/{id}', methods: ['GET'], permission: 'campaigns.read', params: campaignPath },
  async ({ services, principal, params }) => ({
    body: toCampaign(await findCampaign(services, principal.tenantId, params.id!)),
  }),
);

registerApi(
  'campaignsEnrolments',
  {
    route: 'v1/campaigns/{id}/enrolments',
    methods: ['GET'],
    permission: 'campaigns.read',
    params: campaignPath,
    query: pageQuerySchema,
  },
  async ({ services, principal, params, query }) => {
    const campaign = await findCampaign(services, principal.tenantId, params.id!);
    const page = await queryPage(services.store.enrolments, principal.tenantId, query, {
      where: 'c.campaignId = @campaignId',
      parameters: [{ name: '@campaignId', value: campaign.id }],
      orderBy: 'c.ordinal',
    });
    return pageResponse(page, toEnrolment);
  },
);

registerApi(
  'campaignsEnrol',
  {
    route: 'v1/campaigns/{id}/prospects',
    methods: ['POST'],
    permission: 'campaigns.write',
    params: campaignPath,
    body: z.strictObject({ prospectIds: z.array(prospectIdSchema).min(1).max(10_000) }),
  },
  async ({ services, principal, params, body, durable, correlationId, requestId }) => {
    const campaign = await findCampaign(services, principal.tenantId, params.id!);
    const requested = [...new Set(body.prospectIds)];
    const prospects = services.store.forTenant(principal.tenantId).prospects;
    // In bulk: ten thousand point reads at once would each want a connection.
    const found = await prospects.readEach(requested);
    const unknown = requested.filter((_, index) => !found[index]);
    if (unknown.length > 0) {
      throw badRequest(
        `Nothing was enrolled: ${unknown.length} prospect id(s) do not exist.`,
        unknown.map((id) => ({ field: 'prospectIds', message: `unknown prospect ${id}` })),
      );
    }
    const assignable = await assignableProspects(services, principal.tenantId, campaign, found as ProspectRecord[]);
    const { campaign: updated, added } = await enrolProspects(services, campaign, assignable);
    const fresh = found.filter((prospect): prospect is ProspectRecord => prospect?.status === 'new');
    const marked = await writeMany(
      services.store.prospects,
      fresh.map((prospect) => ({ replace: { ...prospect, status: 'enrolled' as const } })),
    );
    // One changed since it was read (a reply, an edit): marked against its latest version.
    for (const [index, outcome] of marked.entries()) {
      if (outcome === 'conflict')
        await prospects.update(fresh[index]!.id, (prospect) => (prospect.status === 'new' ? { ...prospect, status: 'enrolled' } : undefined));
    }
    // Enrolling who is enrolled already changes nothing, and is not audited again.
    if (added.length > 0) {
      await services.audit.append(principal.tenantId, {
        actor: { type: 'user', id: principal.userId, name: principal.name },
        type: 'campaign.enrolled',
        correlationId,
        idempotencyKey: changeKey(
          'campaign.enrolled',
          campaign.id,
          added.map((enrolment) => enrolment.prospectId),
          requestId,
        ),
        payload: { campaignId: campaign.id, added: added.length },
      });
    }
    if (updated.status === 'running' && !heldToCanary(updated)) await startSequences(durable, updated, added, correlationId);
    return { body: { campaignId: campaign.id, enrolled: updated.enrolled, added: added.length } };
  },
);

registerApi(
  'campaignsStart',
  { route: 'v1/campaigns/{id}/start', methods: ['POST'], permission: 'campaigns.run', params: campaignPath, body: startCampaignSchema },
  async ({ services, principal, params, body, durable, correlationId, requestId }) => {
    const campaign = await findCampaign(services, principal.tenantId, params.id!);
    if (campaign.enrolled === 0) throw badRequest('Enrol prospects before starting the campaign.');
    if (!body.canary && heldToCanary(campaign)) return promote(services, durable, principal, campaign.id, correlationId);
    if (body.canary && campaign.status === 'running' && !campaign.canaryRun) {
      throw conflict(`${campaign.name} is already running for everyone: a canary can only come first.`);
    }
    if (!body.canary && !campaign.canaryRun && (await currentPolicy(services, principal.tenantId)).rules.canary.required) {
      throw conflict(
        `The policy requires a canary run before ${campaign.name} sends to everyone: start it with {"canary": {"size": N}} or {"canary": {"percent": P}}.`,
      );
    }
    const now = services.clock.now().toISOString();
    let changed = false;
    const running = await services.store.campaigns.updateFrom(campaign, (current) => {
      const canaryRun =
        current.canaryRun ??
        (body.canary && { cohortSize: canaryCohortSize(current.enrolled, body.canary), status: 'running' as const, startedAt: now });
      changed = !(current.status === 'running' && current.canaryRun === canaryRun);
      return !changed
        ? undefined
        : {
            ...current,
            status: 'running',
            startedAt: current.startedAt ?? now,
            ...(canaryRun ? { canaryRun, canary: { size: canaryRun.cohortSize } } : {}),
          };
    });
    const held = heldToCanary(running!);
    if (held) await startCanaryRun(durable, running!);
    const progress = await startCampaign(services, durable, running!, held, correlationId);
    // Starting what runs already (and has every sequence running) changes nothing, and is not audited again.
    if (changed || progress.started > 0) {
      await services.audit.append(principal.tenantId, {
        actor: { type: 'user', id: principal.userId, name: principal.name },
        type: 'campaign.started',
        correlationId,
        idempotencyKey: changeKey('campaign.started', campaign.id, { canary: running!.canary?.size ?? null, started: progress.started }, requestId),
        // `started` and `alreadyRunning` count what started at once; a large campaign starts in the background.
        payload: { campaignId: campaign.id, canary: running!.canary?.size ?? null, ...progress },
      });
    }
    return {
      status: 202,
      headers: { location: startProgressPath(campaign.id) },
      body: { campaignId: campaign.id, status: 'running', ...progress, canary: running!.canary ?? null, progress: startProgressPath(campaign.id) },
    };
  },
);

registerApi(
  'campaignsStartProgress',
  { route: 'v1/campaigns/{id}/start', methods: ['GET'], permission: 'campaigns.read', params: campaignPath },
  async ({ services, principal, params, durable }) => {
    const campaign = await findCampaign(services, principal.tenantId, params.id!);
    const status = await durable.getStatus(campaignStartInstanceId(campaign.tenantId, campaign.id)).catch(() => undefined);
    const state = !status?.runtimeStatus
      ? 'notStarted'
      : ['Running', 'Pending'].includes(String(status.runtimeStatus))
        ? 'starting'
        : String(status.runtimeStatus) === 'Completed'
          ? 'started'
          : 'failed';
    const reported = campaignStartProgressSchema.safeParse(state === 'started' ? status?.output : status?.customStatus);
    const progress = reported.success ? reported.data : { total: 0, started: 0, alreadyRunning: 0 };
    return { body: { campaignId: campaign.id, state, ...progress } };
  },
);

const startProgressPath = (campaignId: string) => `/api/v1/campaigns/${campaignId}/start`;

/** The canary run waits for its promotion; starting it twice finds the one that exists. */
async function startCanaryRun(durable: DurableClient, campaign: CampaignRecord): Promise<void> {
  const instanceId = canaryInstanceId(campaign.tenantId, campaign.id);
  if ((await durable.getStatus(instanceId).catch(() => undefined))?.runtimeStatus) return;
  const input: CanaryRunInput = { tenantId: campaign.tenantId, campaignId: campaign.id };
  await startOrchestration(durable, canaryRunOrchestration, instanceId, input);
}

/** Promotion starts everyone else's sequences through the canary run, which a Teams card can reach as well. */
async function promote(services: Services, durable: DurableClient, principal: Principal, campaignId: string, correlationId: string) {
  const raiseEvent = (instanceId: string, eventName: string, data: unknown) => durable.raiseEvent(instanceId, eventName, data);
  const promoted = await promoteCanary(services, raiseEvent, principal, campaignId, correlationId);
  const cohort = promoted.canaryRun?.cohortSize ?? 0;
  return {
    status: 202,
    body: {
      campaignId,
      status: 'running',
      total: promoted.enrolled,
      started: promoted.enrolled - cohort,
      alreadyRunning: cohort,
      canary: null,
    },
  };
}

registerApi(
  'campaignsCanary',
  { route: 'v1/campaigns/{id}/canary', methods: ['GET'], permission: 'campaigns.read', params: campaignPath },
  async ({ services, principal, params }) => ({ body: await canaryReport(services, principal.tenantId, params.id!) }),
);

registerApi(
  'campaignsPromote',
  { route: 'v1/campaigns/{id}/promote', methods: ['POST'], permission: 'campaigns.run', params: campaignPath, body: z.strictObject({}) },
  async ({ services, principal, params, durable, correlationId }) => promote(services, durable, principal, params.id!, correlationId),
);

registerApi(
  'campaignsHalt',
  {
    route: 'v1/campaigns/{id}/halt',
    methods: ['POST'],
    permission: 'campaigns.run',
    params: campaignPath,
    body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }),
  },
  async ({ services, principal, params, body, correlationId }) => ({
    body: await haltCanary(services, principal, params.id!, body.reason, correlationId),
  }),
);

registerApi(
  'campaignsStop',
  {
    route: 'v1/campaigns/{id}/stop',
    methods: ['POST'],
    permission: 'campaigns.run',
    params: campaignPath,
    body: z.strictObject({ reason: z.string().max(500).optional() }),
  },
  async ({ services, principal, params, body, durable, correlationId }) => {
    const campaign = await findCampaign(services, principal.tenantId, params.id!);
    const stopped = await stopCampaign(services, durable, principal, campaign, body.reason, correlationId);
    return { body: { campaignId: campaign.id, status: 'stopped', sequencesStopped: stopped } };
  },
);
