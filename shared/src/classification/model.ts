import { z } from 'zod';
import type { FeatureVector } from './features';
import { ruleNames } from './rule-match';
import { reliabilityBandSchema, replyLabelSchema, type ReplyLabel } from './schema';

const isotonicMapSchema = z.object({ thresholds: z.array(z.number()), values: z.array(z.number().min(0).max(1)) });

/** The trained weights file written by train.ts and shipped beside the code. */
export const replyModelSchema = z.object({
  format: z.literal('asep-reply-model/1'),
  labels: z.array(replyLabelSchema).length(6),
  bucketCount: z.number().int().positive(),
  /** Softmax temperature fitted on the calibration split. */
  temperature: z.number().positive(),
  bias: z.array(z.number()).length(6),
  /** Per hashed feature bucket, one weight per label (buckets with negligible weights are omitted). */
  weights: z.record(z.string().regex(/^\d+$/), z.array(z.number()).length(6)),
  /** Observed precision of each rule on the train and calibration splits, used as its confidence. */
  ruleReliability: z.record(z.enum(ruleNames), z.number().min(0).max(1)),
  /**
   * Per predicted label, the isotonic map from the model's (temperature-scaled) probability to the share of
   * held-out replies it got right; `all` pools the labels for those with too few held-out replies of their own.
   */
  isotonic: z.partialRecord(z.enum([...replyLabelSchema.options, 'all']), isotonicMapSchema).optional(),
  /** Reliability table by confidence band, measured on held-out replies neither training nor calibration saw. */
  reliability: z.array(reliabilityBandSchema).optional(),
  training: z.object({
    examples: z.number().int(),
    calibrationExamples: z.number().int(),
    epochs: z.number().int(),
    l2: z.number(),
    reliabilityExamples: z.number().int().optional(),
  }),
});
export type ReplyModel = z.infer<typeof replyModelSchema>;

export interface ModelScores {
  /** Label → calibrated probability. */
  probabilities: Record<ReplyLabel, number>;
  best: ReplyLabel;
  /** Features that pushed most toward `best`, strongest first. */
  topFeatures: { name: string; contribution: number }[];
  /** How many of the reply's own features (length aside) the model has weights for. */
  recognisedFeatures: number;
}

export function modelLogits(model: ReplyModel, features: FeatureVector): number[] {
  const logits = [...model.bias];
  for (let i = 0; i < features.buckets.length; i += 1) {
    const row = model.weights[String(features.buckets[i])];
    if (!row) continue;
    const value = features.values[i] ?? 0;
    for (let label = 0; label < logits.length; label += 1) logits[label] = (logits[label] ?? 0) + (row[label] ?? 0) * value;
  }
  return logits;
}

export function softmax(logits: number[], temperature: number): number[] {
  const scaled = logits.map((logit) => logit / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((logit) => Math.exp(logit - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

export function scoreReply(model: ReplyModel, features: FeatureVector): ModelScores {
  const probabilities = softmax(modelLogits(model, features), model.temperature);
  let bestIndex = 0;
  probabilities.forEach((probability, index) => {
    if (probability > (probabilities[bestIndex] ?? 0)) bestIndex = index;
  });
  const topFeatures = features.names
    .map((name, i) => ({
      name,
      contribution: (model.weights[String(features.buckets[i])]?.[bestIndex] ?? 0) * (features.values[i] ?? 0),
    }))
    .filter((feature) => feature.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 5);
  const recognisedFeatures = features.names.filter(
    (name, i) => !name.startsWith('len:') && model.weights[String(features.buckets[i])] !== undefined,
  ).length;
  const byLabel = Object.fromEntries(model.labels.map((label, i) => [label, probabilities[i] ?? 0])) as Record<ReplyLabel, number>;
  return { probabilities: byLabel, best: model.labels[bestIndex] ?? 'neutral', topFeatures, recognisedFeatures };
}
