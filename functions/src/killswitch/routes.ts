import { z } from 'zod';
import { killSwitchReleaseIdSchema } from '@asep/shared/ids/ids';
import {
  killSwitchChangeSchema,
  killSwitchReleaseProgressSchema,
  type KillSwitchReleaseReport,
  type KillSwitchState,
} from '@asep/shared/killswitch/killswitch';
import { registerApi } from '../http/api';
import { notFound } from '../http/problem';
import { killSwitchReleaseInputSchema } from '../orchestrations/contracts/killswitch-release';
import { changeKillSwitch, readKillSwitches } from './killswitch';

const releasePath = (releaseId: string) => `/api/v1/killswitch/releases/${releaseId}`;

/**
 * Turning a switch off answers 202 at once, with a Location where the release (resuming the held sequences, or
 * ending every sequence in scope) reports its progress, and 200 with the same Location once that is done; turning
 * one on answers 200.
 */
registerApi(
  'killSwitchPut',
  { route: 'v1/killswitch', methods: ['PUT'], permission: 'killswitch.campaign', body: killSwitchChangeSchema },
  async ({ services, durable, principal, body, correlationId }) => {
    const state = await changeKillSwitch(services, durable, principal, body, correlationId);
    const resumption = body.active ? undefined : resumptionOf(state, body);
    if (!resumption) return { body: state };
    return { status: resumption.done ? 200 : 202, headers: { location: releasePath(resumption.releaseId) }, body: state };
  },
);

function resumptionOf(state: KillSwitchState, change: { scope: 'tenant' | 'campaign'; campaignId?: string }) {
  return (change.scope === 'tenant' ? state.tenant : state.campaigns[change.campaignId!])?.resumption;
}

registerApi('killSwitchGet', { route: 'v1/killswitch', methods: ['GET'], permission: 'killswitch.read' }, async ({ services, principal }) => ({
  body: await readKillSwitches(services, principal.tenantId),
}));

/** How far a switch's release has come: how many sequences were held, resumed or ended, and whether it is done. */
registerApi(
  'killSwitchReleaseProgress',
  {
    route: 'v1/killswitch/releases/{id}',
    methods: ['GET'],
    permission: 'killswitch.read',
    params: z.object({ id: killSwitchReleaseIdSchema }),
  },
  async ({ principal, params, durable }) => {
    const status = await durable.getStatus(params.id!).catch(() => undefined);
    const input = killSwitchReleaseInputSchema.safeParse(status?.input);
    // Another tenant's release is as unknown as one that never was.
    if (!status?.runtimeStatus || !input.success || input.data.tenantId !== principal.tenantId) throw notFound(`Kill switch release ${params.id}`);
    const runtime = String(status.runtimeStatus);
    const underWay = input.data.release === 'end' ? 'ending' : 'resuming';
    const state = ['Running', 'Pending'].includes(runtime) ? underWay : runtime === 'Completed' ? 'done' : 'failed';
    const reported = killSwitchReleaseProgressSchema.safeParse(state === 'done' ? status.output : status.customStatus);
    const progress = reported.success ? reported.data : { sequences: 0, checked: 0, held: 0, resumed: 0, ended: 0 };
    const report: KillSwitchReleaseReport = {
      releaseId: params.id!,
      scope: input.data.scope,
      campaignId: input.data.campaignId ?? null,
      release: input.data.release,
      state,
      ...progress,
      done: state === 'done',
    };
    return { body: report };
  },
);
