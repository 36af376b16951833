import * as df from 'durable-functions';
import type { Research } from '@asep/shared/research/fact';
import { getServices } from '../composition/services';
import { sequenceActivities, type StepInput } from '../orchestrations/contracts/sequence-steps';
import { loadCampaignAndProspect } from '../sending/prepare-step';
import { researchProspect } from './research';

/** Gathers the facts a researched campaign's drafts cite, once per sequence. */
df.app.activity(sequenceActivities.research, {
  handler: async (input: StepInput): Promise<Research> => {
    const services = await getServices();
    const { campaign, prospect } = await loadCampaignAndProspect(services, input);
    if (!campaign || !prospect) return { facts: [], gaps: [] };
    const research = await researchProspect(services, { tenantId: input.tenantId, campaign, prospect, instanceId: input.instanceId });
    await services.audit.append(input.tenantId, {
      actor: { type: 'system', id: 'research' },
      type: 'research.gathered',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:research`,
      payload: {
        campaignId: input.campaignId,
        prospectId: input.prospectId,
        facts: research.facts.map((fact) => ({ id: fact.id, source: fact.source, hash: fact.hash })),
        gaps: research.gaps,
      },
    });
    return research;
  },
});
