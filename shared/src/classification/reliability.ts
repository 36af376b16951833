import { z } from 'zod';

/** Of held-out replies scored in [lower, upper), `correct` of `replies` had the label: what "confidence" means. */
export const reliabilityBandSchema = z.object({
  lower: z.number().min(0).max(1),
  upper: z.number().min(0).max(1),
  replies: z.int().min(0),
  correct: z.int().min(0),
});
export type ReliabilityBand = z.infer<typeof reliabilityBandSchema>;
