/**
 * Reply classifier quality on the held-out test split, beside a TF-IDF + logistic-regression baseline trained
 * on the same training split in the same run: per-class table for both, the reliability table the taskpane
 * quotes, and out-of-office return-date accuracy per language. The test split is never read by training,
 * calibration or tuning (see shared/src/classification/dev-set/README.md).
 */
import { fitBaseline } from '@asep/shared/classification/baseline';
import { loadDevSet } from '@asep/shared/classification/dev-set';
import { evaluateClassifier, type ClassifierEvaluation } from '@asep/shared/classification/evaluate';
import { formatEvaluation } from '@asep/shared/classification/evaluation-report';
import { replyLabels } from '@asep/shared/classification/schema';

type Record = (name: string, value: number, unit: string, target?: string) => void;

function sideBySide(classifier: ClassifierEvaluation, baseline: ClassifierEvaluation): string {
  const lines = [`${'label'.padEnd(12)} ${'classifier P/R/F1'.padStart(20)}   ${'baseline P/R/F1'.padStart(20)}`];
  const triple = (evaluation: ClassifierEvaluation, label: (typeof replyLabels)[number]) => {
    const { precision, recall, f1 } = evaluation.perClass[label];
    return `${precision.toFixed(2)}/${recall.toFixed(2)}/${f1.toFixed(2)}`;
  };
  for (const label of replyLabels)
    lines.push(`${label.padEnd(12)} ${triple(classifier, label).padStart(20)}   ${triple(baseline, label).padStart(20)}`);
  lines.push(`${'macro-F1'.padEnd(12)} ${classifier.macroF1.toFixed(3).padStart(20)}   ${baseline.macroF1.toFixed(3).padStart(20)}`);
  lines.push(`${'ECE'.padEnd(12)} ${classifier.calibration.ece.toFixed(3).padStart(20)}   ${baseline.calibration.ece.toFixed(3).padStart(20)}`);
  return lines.join('\n');
}

export function benchClassifierQuality(record: Record): void {
  const test = loadDevSet('test');
  const baseline = fitBaseline(loadDevSet('train'));
  const written = test.filter((example) => example.family === undefined);
  const classifier = evaluateClassifier(test);
  const peer = evaluateClassifier(test, (message) => baseline.classify(message));

  console.log(`\nReply classifier vs TF-IDF + logistic regression, same training split, held-out test split (${test.length} replies)`);
  console.log(sideBySide(classifier, peer));
  console.log(`\n${formatEvaluation(classifier, { title: 'classifier on the test split' })}\n`);

  record('classifier_macro_f1', classifier.macroF1, '', '≥ 0.90');
  record('classifier_baseline_macro_f1', peer.macroF1, '', 'TF-IDF + logistic regression');
  record('classifier_margin_over_baseline', classifier.macroF1 - peer.macroF1, 'macro-F1', '≥ 0.10');
  for (const label of ['ooo', 'bounce', 'unsubscribe'] as const)
    record(`classifier_recall_${label}`, classifier.perClass[label].recall, '', '≥ 0.97');
  record('classifier_ece', classifier.calibration.ece, '', 'lower is better');
  record('classifier_test_examples', classifier.examples, 'examples');
  // The replies written by hand (not generated from templates) on their own: the figure closest to real mail here.
  const writtenOnly = evaluateClassifier(written);
  record('classifier_macro_f1_hand_written', writtenOnly.macroF1, `(${written.length} replies)`);
  record('classifier_baseline_macro_f1_hand_written', evaluateClassifier(written, (message) => baseline.classify(message)).macroF1, '');
  for (const [language, score] of Object.entries(classifier.extraction.returnDateByLanguage)) {
    if (score.expected > 0) record(`ooo_return_date_accuracy_${language}`, score.accuracy, `(${score.correct}/${score.expected})`);
  }
}
