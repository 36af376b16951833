/**
 * Trains the reply model offline and writes weights.json beside this file:
 *
 *   npx tsx shared/src/classification/train.ts
 *
 * Fits on the train split and calibrates on the calibration split; the test split is never read here.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDevSet } from './dev-set';
import { fitReplyModel } from './fit-model';

const { model, trainAccuracy, modelDecidedCalibrationExamples } = fitReplyModel(loadDevSet('train'), loadDevSet('calibration'));
const target = fileURLToPath(new URL('./weights.json', import.meta.url));
const json = JSON.stringify(model);
writeFileSync(target, `${json}\n`);
console.log(
  [
    `train examples: ${model.training.examples}, calibration examples: ${model.training.calibrationExamples} (${modelDecidedCalibrationExamples} decided by the model)`,
    `train accuracy: ${trainAccuracy.toFixed(3)}`,
    `temperature: ${model.temperature}`,
    `rule reliability: ${JSON.stringify(model.ruleReliability)}`,
    `weights: ${Object.keys(model.weights).length} buckets, ${(json.length / 1024).toFixed(0)} KiB → ${target}`,
  ].join('\n'),
);
