/**
 * Trains the reply model offline and writes weights.json beside this file:
 *
 *   npx tsx shared/src/classification/train.ts
 *
 * Fits on the train split, calibrates on half the calibration split and measures the reliability table on the
 * other half; the test split is never read here.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reliabilityTable } from './calibration';
import { createReplyClassifier } from './classify';
import { loadDevSet, type DevExample } from './dev-set';
import { hashFeature } from './features';
import { fitReplyModel } from './fit-model';

// Half the calibration split fits the temperature and isotonic maps; the other half measures the reliability
// table the taskpane quotes, so "about N in 100" is never read off the data it was fitted on.
const calibration = loadDevSet('calibration');
const inFitHalf = (example: DevExample) => hashFeature(`${example.subject}\u0001${example.body}`) % 2 === 0;
const { model, trainAccuracy, modelDecidedCalibrationExamples } = fitReplyModel(loadDevSet('train'), calibration.filter(inFitHalf));
const checkHalf = calibration.filter((example) => !inFitHalf(example));
const classify = createReplyClassifier(model);
model.reliability = reliabilityTable(
  checkHalf.map((example) => {
    const result = classify(example);
    return { confidence: result.confidence, correct: result.label === example.label };
  }),
);
model.training.reliabilityExamples = checkHalf.length;
const target = fileURLToPath(new URL('./weights.json', import.meta.url));
const json = JSON.stringify(model);
writeFileSync(target, `${json}\n`);
console.log(
  [
    `train examples: ${model.training.examples}, calibration examples: ${model.training.calibrationExamples} (${modelDecidedCalibrationExamples} decided by the model)`,
    `train accuracy: ${trainAccuracy.toFixed(3)}`,
    `temperature: ${model.temperature}`,
    `reliability (band: right/replies): ${model.reliability
      .filter((band) => band.replies > 0)
      .map((band) => `${band.lower}–${band.upper}: ${band.correct}/${band.replies}`)
      .join(', ')}`,
    `rule reliability: ${JSON.stringify(model.ruleReliability)}`,
    `weights: ${Object.keys(model.weights).length} buckets, ${(json.length / 1024).toFixed(0)} KiB → ${target}`,
  ].join('\n'),
);
