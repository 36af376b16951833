import { z } from 'zod';
import type { DealStage } from '@asep/shared/deals/deal';

const hubSpotId = z.string().trim().min(1).max(100);

/** Where a tenant's ASEP deals live in its HubSpot portal: one pipeline, and the stage each ASEP stage becomes. */
export const dealStageMappingSchema = z.strictObject({
  pipelineId: hubSpotId,
  stages: z.strictObject({
    POSITIVE_REPLY: hubSpotId,
    MEETING_BOOKED: hubSpotId,
    QUALIFIED: hubSpotId,
    /** A mapping saved before won deals were tracked names none: HubSpot's own closed-won stage is meant. */
    WON: hubSpotId.default('closedwon'),
    DISQUALIFIED: hubSpotId,
  }),
});
export type DealStageMapping = z.infer<typeof dealStageMappingSchema>;

/** HubSpot's default sales pipeline, whose stage ids are the same in every portal. */
export const defaultDealStageMapping: DealStageMapping = {
  pipelineId: 'default',
  stages: {
    POSITIVE_REPLY: 'appointmentscheduled',
    MEETING_BOOKED: 'presentationscheduled',
    QUALIFIED: 'qualifiedtobuy',
    WON: 'closedwon',
    DISQUALIFIED: 'closedlost',
  },
};

export function hubSpotStageFor(mapping: DealStageMapping, stage: DealStage): string {
  return mapping.stages[stage] ?? defaultDealStageMapping.stages[stage];
}

/**
 * The ASEP stage a HubSpot stage stands for, or undefined for a stage ASEP does not track (e.g. contract sent).
 * When a tenant maps two ASEP stages onto one HubSpot stage, the earlier ASEP stage is the answer.
 */
export function asepStageFor(mapping: DealStageMapping, hubSpotStage: string): DealStage | undefined {
  const stages = { ...defaultDealStageMapping.stages, ...mapping.stages };
  const found = (Object.entries(stages) as [DealStage, string][]).find(([, id]) => id === hubSpotStage);
  return found?.[0];
}
