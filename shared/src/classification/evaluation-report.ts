import type { ClassifierEvaluation } from './evaluate';
import { replyLabels } from './schema';

const percent = (value: number) => value.toFixed(3);

/** The evaluation as a plain-text report: per-class table, macro-F1, ECE, confusion matrix, reliability bands. */
export function formatEvaluation(evaluation: ClassifierEvaluation, options: { title: string }): string {
  const lines: string[] = [
    `${options.title}: accuracy ${percent(evaluation.accuracy)}, macro-F1 ${percent(evaluation.macroF1)}, ECE ${percent(evaluation.calibration.ece)}`,
  ];
  lines.push('', `${'label'.padEnd(12)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(6)} ${'support'.padStart(8)}`);
  for (const label of replyLabels) {
    const metrics = evaluation.perClass[label];
    lines.push(
      `${label.padEnd(12)} ${percent(metrics.precision).padStart(9)} ${percent(metrics.recall).padStart(7)} ${percent(metrics.f1).padStart(6)} ${String(metrics.support).padStart(8)}`,
    );
  }
  lines.push(
    '',
    `confusion (rows: true label, columns: predicted)`,
    `${''.padEnd(12)}${replyLabels.map((label) => label.slice(0, 8).padStart(9)).join('')}`,
  );
  for (const actual of replyLabels) {
    lines.push(`${actual.padEnd(12)}${replyLabels.map((predicted) => String(evaluation.confusion[actual][predicted]).padStart(9)).join('')}`);
  }
  lines.push('', 'reliability (confidence band: replies, mean confidence, share right)');
  for (const bin of evaluation.calibration.bins) {
    if (bin.count === 0) continue;
    lines.push(
      `  ${bin.lower.toFixed(1)}–${bin.upper.toFixed(1)}: ${String(bin.count).padStart(5)}  ${percent(bin.meanConfidence)}  ${percent(bin.accuracy)}`,
    );
  }
  const byLanguage = Object.entries(evaluation.extraction.returnDateByLanguage).filter(([, score]) => score.expected > 0);
  if (byLanguage.length > 0) {
    lines.push('', 'out-of-office return date found, by language');
    for (const [language, score] of byLanguage) lines.push(`  ${language}: ${score.correct}/${score.expected} (${percent(score.accuracy)})`);
  }
  return lines.join('\n');
}
