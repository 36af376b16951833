/**
 * Fits the reply model: multinomial logistic regression over hashed features (full-batch Adam, L2,
 * class-balanced) on the training examples; softmax temperature and rule reliabilities from the
 * calibration examples. Deterministic: the same examples always give the same model.
 */
import { fitIsotonic, negativeLogLikelihood, type IsotonicMap } from './calibration';
import type { DevExample } from './dev-set';
import type { FeatureVector } from './features';
import { softmax, type ReplyModel } from './model';
import { matchRules, readReply, replyFeatures } from './read-reply';
import { ruleNames, type RuleName } from './rule-match';
import { replyLabels } from './schema';

const bucketCount = 1 << 18;
const epochs = 300;
const learningRate = 0.05;
const l2 = 1e-4;
/** Weights smaller than this change no decision; dropping them keeps the shipped file small. */
const pruneBelow = 0.01;
/** Prior belief in a rule before counting its hits: mean 0.9, worth 10 observations. */
const rulePrior = { correct: 9, total: 10 };

interface PreparedExample {
  features: FeatureVector;
  label: number;
  /** The rule that claimed the example, and the label it gave. */
  rule?: { name: RuleName; label: number };
}

function prepare(examples: DevExample[]): PreparedExample[] {
  return examples.map((example) => {
    const reply = readReply(example);
    const match = matchRules(reply).match;
    const rule = match ? { name: match.rule, label: replyLabels.indexOf(match.label) } : undefined;
    return { features: replyFeatures(reply, bucketCount), label: replyLabels.indexOf(example.label), ...(rule ? { rule } : {}) };
  });
}

function logitsOf(weights: Float64Array, bias: Float64Array, features: FeatureVector): number[] {
  const logits = Array.from(bias);
  for (let i = 0; i < features.buckets.length; i += 1) {
    const row = (features.buckets[i] ?? 0) * replyLabels.length;
    const value = features.values[i] ?? 0;
    for (let k = 0; k < logits.length; k += 1) logits[k] = (logits[k] ?? 0) + (weights[row + k] ?? 0) * value;
  }
  return logits;
}

function trainWeights(examples: PreparedExample[]): { weights: Float64Array; bias: Float64Array } {
  const classes = replyLabels.length;
  const weights = new Float64Array(bucketCount * classes);
  const bias = new Float64Array(classes);
  const counts = new Array<number>(classes).fill(0);
  for (const example of examples) counts[example.label] = (counts[example.label] ?? 0) + 1;
  const classWeight = counts.map((count) => (count > 0 ? examples.length / (classes * count) : 0));
  const touched = [...new Set(examples.flatMap((example) => [...example.features.buckets]))].sort((a, b) => a - b);

  const grad = new Float64Array(weights.length);
  const moment = new Float64Array(weights.length);
  const velocity = new Float64Array(weights.length);
  const biasMoment = new Float64Array(classes);
  const biasVelocity = new Float64Array(classes);
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];

  for (let epoch = 1; epoch <= epochs; epoch += 1) {
    for (const bucket of touched) grad.fill(0, bucket * classes, bucket * classes + classes);
    const biasGrad = new Float64Array(classes);
    for (const example of examples) {
      const probabilities = softmax(logitsOf(weights, bias, example.features), 1);
      const scale = (classWeight[example.label] ?? 1) / examples.length;
      for (let k = 0; k < classes; k += 1) {
        const error = ((probabilities[k] ?? 0) - (k === example.label ? 1 : 0)) * scale;
        biasGrad[k] = (biasGrad[k] ?? 0) + error;
        for (let i = 0; i < example.features.buckets.length; i += 1) {
          const index = (example.features.buckets[i] ?? 0) * classes + k;
          grad[index] = (grad[index] ?? 0) + error * (example.features.values[i] ?? 0);
        }
      }
    }
    const correction1 = 1 - beta1 ** epoch;
    const correction2 = 1 - beta2 ** epoch;
    const step = (values: Float64Array, gradients: Float64Array, m: Float64Array, v: Float64Array, index: number, decay: number) => {
      const g = (gradients[index] ?? 0) + decay * (values[index] ?? 0);
      m[index] = beta1 * (m[index] ?? 0) + (1 - beta1) * g;
      v[index] = beta2 * (v[index] ?? 0) + (1 - beta2) * g * g;
      values[index] = (values[index] ?? 0) - (learningRate * ((m[index] ?? 0) / correction1)) / (Math.sqrt((v[index] ?? 0) / correction2) + epsilon);
    };
    for (const bucket of touched) {
      for (let k = 0; k < classes; k += 1) step(weights, grad, moment, velocity, bucket * classes + k, l2);
    }
    for (let k = 0; k < classes; k += 1) step(bias, biasGrad, biasMoment, biasVelocity, k, 0);
  }
  return { weights, bias };
}

/** The temperature that minimises negative log-likelihood on held-out examples (golden-section search). */
function fitTemperature(logits: number[][], labels: number[]): number {
  const loss = (temperature: number) =>
    negativeLogLikelihood(
      logits.map((row) => softmax(row, temperature)),
      labels,
    );
  let [low, high] = [0.05, 10];
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i += 1) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (loss(a) < loss(b)) high = b;
    else low = a;
  }
  return (low + high) / 2;
}

/** A label needs this many held-out replies where it was the model's answer to get an isotonic map of its own. */
const ownMapMinimum = 25;

/** Per predicted label (and pooled), isotonic maps from the top probability to the share right. */
function fitIsotonicMaps(probabilities: number[][], labels: number[]): ReplyModel['isotonic'] {
  const points = probabilities.map((row, i) => {
    const best = row.indexOf(Math.max(...row));
    return { label: best, score: row[best] ?? 0, correct: best === labels[i] };
  });
  const maps: Record<string, IsotonicMap> = { all: fitIsotonic(points) };
  replyLabels.forEach((label, index) => {
    const own = points.filter((point) => point.label === index);
    if (own.length >= ownMapMinimum) maps[label] = fitIsotonic(own);
  });
  return maps;
}

function ruleReliability(examples: PreparedExample[]): ReplyModel['ruleReliability'] {
  const reliability = {} as ReplyModel['ruleReliability'];
  for (const rule of ruleNames) {
    const hits = examples.filter((example) => example.rule?.name === rule);
    const correct = hits.filter((example) => example.rule?.label === example.label).length;
    reliability[rule] = round((correct + rulePrior.correct) / (hits.length + rulePrior.total), 4);
  }
  return reliability;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface FittedModel {
  model: ReplyModel;
  trainAccuracy: number;
  modelDecidedCalibrationExamples: number;
}

export function fitReplyModel(trainExamples: DevExample[], calibrationExamples: DevExample[]): FittedModel {
  const train = prepare(trainExamples);
  const calibration = prepare(calibrationExamples);
  const { weights, bias } = trainWeights(train);

  // The temperature matters where the model decides, so fit it on the replies no rule claimed.
  const modelDecided = calibration.filter((example) => example.rule === undefined);
  const fitOn = modelDecided.length >= 30 ? modelDecided : calibration;
  const temperature = fitTemperature(
    fitOn.map((example) => logitsOf(weights, bias, example.features)),
    fitOn.map((example) => example.label),
  );

  const isotonic = fitIsotonicMaps(
    fitOn.map((example) => softmax(logitsOf(weights, bias, example.features), temperature)),
    fitOn.map((example) => example.label),
  );

  const sparse: Record<string, number[]> = {};
  for (let bucket = 0; bucket < bucketCount; bucket += 1) {
    const row = Array.from(weights.subarray(bucket * replyLabels.length, (bucket + 1) * replyLabels.length));
    if (row.some((weight) => Math.abs(weight) >= pruneBelow)) sparse[String(bucket)] = row.map((weight) => round(weight, 3));
  }
  const trainAccuracy =
    train.filter((example) => {
      const logits = logitsOf(weights, bias, example.features);
      return logits.indexOf(Math.max(...logits)) === example.label;
    }).length / Math.max(1, train.length);
  return {
    model: {
      format: 'asep-reply-model/1',
      labels: [...replyLabels],
      bucketCount,
      temperature: round(temperature, 4),
      bias: Array.from(bias, (value) => round(value, 4)),
      weights: sparse,
      isotonic,
      ruleReliability: ruleReliability([...train, ...calibration]),
      training: { examples: train.length, calibrationExamples: calibration.length, epochs, l2 },
    },
    trainAccuracy,
    modelDecidedCalibrationExamples: modelDecided.length,
  };
}
