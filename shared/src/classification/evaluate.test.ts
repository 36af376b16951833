import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitBaseline } from './baseline';
import { classifyReply } from './classify';
import { loadDevSet } from './dev-set';
import { evaluateClassifier } from './evaluate';
import { replyModelSchema } from './model';
import weightsFile from './weights.json';

describe('the classifier on the held-out test split', () => {
  const report = evaluateClassifier(loadDevSet('test'));

  it('reaches macro-F1 >= 0.90 over the six labels', () => {
    expect(report.macroF1).toBeGreaterThanOrEqual(0.9);
  });

  it('misses no more than 3% of out-of-office notices, bounces and opt-outs', () => {
    for (const label of ['ooo', 'bounce', 'unsubscribe'] as const) {
      expect(report.perClass[label].recall, label).toBeGreaterThanOrEqual(0.97);
    }
  });

  it('measures every label on enough examples to mean something', () => {
    for (const metrics of Object.values(report.perClass)) expect(metrics.support).toBeGreaterThanOrEqual(30);
  });

  it('states confidences that match how often it is right', () => {
    expect(report.calibration.ece).toBeLessThanOrEqual(0.06);
    expect(report.calibration.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(report.examples);
  });

  it('beats a TF-IDF + logistic-regression baseline trained on the same split by at least 0.10 macro-F1', () => {
    const baseline = fitBaseline(loadDevSet('train'));
    const peer = evaluateClassifier(loadDevSet('test'), (message) => baseline.classify(message));
    expect(report.macroF1 - peer.macroF1).toBeGreaterThanOrEqual(0.1);
  }, 60_000);

  it('extracts return dates, referrals, departures and bounce kinds where the examples state them', () => {
    const { returnDate, referralEmail, bounceKind, leftCompany } = report.extraction;
    expect(returnDate.expected).toBeGreaterThan(10);
    expect(returnDate.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(referralEmail.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(leftCompany.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(bounceKind.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the shipped model', () => {
  const weightsUrl = new URL('./weights.json', import.meta.url);

  it('is under 1 MB and was trained on the current train split (retrain after editing the dev set)', () => {
    expect(statSync(weightsUrl).size).toBeLessThan(1_000_000);
    const model = replyModelSchema.parse(weightsFile);
    expect(model.training.examples).toBe(loadDevSet('train').length);
    expect(model.training.calibrationExamples + (model.training.reliabilityExamples ?? 0)).toBe(loadDevSet('calibration').length);
  });

  it('classifies a typical reply in well under a millisecond', () => {
    const replies = loadDevSet('test').filter((example) => ['positive', 'neutral', 'objection'].includes(example.label));
    for (const reply of replies) classifyReply(reply);
    const timings = replies.map((reply) => {
      const started = performance.now();
      classifyReply(reply);
      return performance.now() - started;
    });
    timings.sort((a, b) => a - b);
    expect(timings[Math.floor(timings.length / 2)]).toBeLessThan(1);
  });
});
