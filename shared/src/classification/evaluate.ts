import { calibrationReport, type CalibrationReport } from './calibration';
import { classifyReply } from './classify';
import type { DevExample } from './dev-set';

import { replyLabels, type InboundMessage, type ReplyClassification, type ReplyLabel } from './schema';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ExtractionScore {
  correct: number;
  expected: number;
  accuracy: number;
}

export interface ClassifierEvaluation {
  examples: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<ReplyLabel, ClassMetrics>;
  confusion: Record<ReplyLabel, Record<ReplyLabel, number>>;
  calibration: CalibrationReport;
  extraction: {
    returnDate: ExtractionScore;
    referralEmail: ExtractionScore;
    bounceKind: ExtractionScore;
    leftCompany: ExtractionScore;
    /** Out-of-office return dates by the notice's language (examples that name one). */
    returnDateByLanguage: Record<string, ExtractionScore>;
  };
}

type Expected = NonNullable<DevExample['expect']>;

/** A reply with the label a person gave it (and, optionally, what extraction should find). */
export type LabelledReply = InboundMessage & Pick<DevExample, 'label'> & { expect?: Expected; language?: string };

function extractionScore(
  results: { example: LabelledReply; result: ReplyClassification }[],
  expected: (expect: Expected) => unknown,
  actual: (result: ReplyClassification) => unknown,
): ExtractionScore {
  const relevant = results.filter(({ example }) => example.expect !== undefined && expected(example.expect) !== undefined);
  const correct = relevant.filter(({ example, result }) => example.expect && actual(result) === expected(example.expect)).length;
  return { correct, expected: relevant.length, accuracy: relevant.length > 0 ? correct / relevant.length : 1 };
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0);

/** Scores classifyReply on labelled examples: per-class precision/recall/F1, calibration, extraction accuracy. */
export function evaluateClassifier(
  examples: LabelledReply[],
  classify: (message: InboundMessage) => ReplyClassification = classifyReply,
): ClassifierEvaluation {
  const results = examples.map((example) => ({ example, result: classify(example) }));
  const zeroRow = () => Object.fromEntries(replyLabels.map((label) => [label, 0])) as Record<ReplyLabel, number>;
  const confusion = Object.fromEntries(replyLabels.map((label) => [label, zeroRow()])) as ClassifierEvaluation['confusion'];
  for (const { example, result } of results) confusion[example.label][result.label] += 1;

  const perClass = {} as Record<ReplyLabel, ClassMetrics>;
  for (const label of replyLabels) {
    const truePositives = confusion[label][label];
    const predicted = replyLabels.reduce((sum, actual) => sum + confusion[actual][label], 0);
    const support = replyLabels.reduce((sum, guessed) => sum + confusion[label][guessed], 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    perClass[label] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  }
  const measured = replyLabels.filter((label) => perClass[label].support > 0);
  const macroF1 = ratio(
    measured.reduce((sum, label) => sum + perClass[label].f1, 0),
    measured.length,
  );
  const correctCount = results.filter(({ example, result }) => example.label === result.label).length;

  return {
    examples: results.length,
    accuracy: ratio(correctCount, results.length),
    macroF1,
    perClass,
    confusion,
    calibration: calibrationReport(
      results.map(({ example, result }) => ({ confidence: result.confidence, correct: example.label === result.label })),
    ),
    extraction: {
      returnDate: extractionScore(
        results,
        (expect) => expect.returnDate,
        (result) => result.ooo?.returnDate,
      ),
      referralEmail: extractionScore(
        results,
        (expect) => expect.referralEmail,
        (result) => result.ooo?.referral?.email ?? result.referral?.email,
      ),
      bounceKind: extractionScore(
        results,
        (expect) => expect.bounceKind,
        (result) => result.bounce?.kind,
      ),
      leftCompany: extractionScore(
        results,
        (expect) => expect.leftCompany,
        (result) => result.ooo?.leftCompany ?? false,
      ),
      returnDateByLanguage: Object.fromEntries(
        [...new Set(results.map(({ example }) => example.language).filter((language) => language !== undefined))].sort().map((language) => [
          language,
          extractionScore(
            results.filter(({ example }) => example.language === language),
            (expect) => expect.returnDate,
            (result) => result.ooo?.returnDate,
          ),
        ]),
      ),
    },
  };
}
