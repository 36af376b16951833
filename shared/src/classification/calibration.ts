import type { ReliabilityBand } from './schema';

/** Mean negative log-likelihood of the true labels under predicted distributions. */
export function negativeLogLikelihood(probabilities: number[][], labels: number[]): number {
  const total = probabilities.reduce((sum, row, i) => sum - Math.log(Math.max(row[labels[i] ?? 0] ?? 0, 1e-12)), 0);
  return total / Math.max(1, probabilities.length);
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  meanConfidence: number;
  accuracy: number;
  count: number;
}

export interface CalibrationReport {
  /** Expected calibration error: count-weighted gap between confidence and accuracy per bin. */
  ece: number;
  bins: CalibrationBin[];
}

/** Equal-width reliability bins over [0, 1]; empty bins are reported with count 0. */
export function calibrationReport(predictions: { confidence: number; correct: boolean }[], binCount = 10): CalibrationReport {
  const bins: CalibrationBin[] = Array.from({ length: binCount }, (_, i) => ({
    lower: i / binCount,
    upper: (i + 1) / binCount,
    meanConfidence: 0,
    accuracy: 0,
    count: 0,
  }));
  for (const { confidence, correct } of predictions) {
    const bin = bins[Math.min(binCount - 1, Math.floor(confidence * binCount))];
    if (!bin) continue;
    bin.count += 1;
    bin.meanConfidence += confidence;
    bin.accuracy += correct ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    bin.meanConfidence /= bin.count;
    bin.accuracy /= bin.count;
    ece += (bin.count / Math.max(1, predictions.length)) * Math.abs(bin.meanConfidence - bin.accuracy);
  }
  return { ece, bins };
}

/** A non-decreasing step function from a raw score to the observed share right, fitted by isotonic regression. */
export interface IsotonicMap {
  /** Lower edge of each step, ascending. */
  thresholds: number[];
  /** Share right within each step (Laplace-smoothed, so a small step never claims 0 or 1). */
  values: number[];
}

/** Pool-adjacent-violators over (score, correct) pairs. */
export function fitIsotonic(points: { score: number; correct: boolean }[]): IsotonicMap {
  const sorted = [...points].sort((a, b) => a.score - b.score);
  const blocks: { start: number; correct: number; count: number }[] = [];
  for (const point of sorted) {
    blocks.push({ start: point.score, correct: point.correct ? 1 : 0, count: 1 });
    while (blocks.length >= 2) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.correct / previous.count < last.correct / last.count) break;
      blocks.pop();
      previous.correct += last.correct;
      previous.count += last.count;
    }
  }
  const smoothed = blocks.map((block) => (block.correct + 1) / (block.count + 2));
  // Smoothing can break monotonicity between a small block and a large one; carry the maximum forward.
  for (let i = 1; i < smoothed.length; i += 1) smoothed[i] = Math.max(smoothed[i]!, smoothed[i - 1]!);
  return { thresholds: blocks.map((block) => block.start), values: smoothed.map((value) => Number(value.toFixed(4))) };
}

export function applyIsotonic(map: IsotonicMap, score: number): number {
  let value = map.values[0] ?? score;
  for (let i = 0; i < map.thresholds.length; i += 1) {
    if (score >= map.thresholds[i]!) value = map.values[i]!;
    else break;
  }
  return value;
}

export function reliabilityTable(predictions: { confidence: number; correct: boolean }[], binCount = 10): ReliabilityBand[] {
  return calibrationReport(predictions, binCount).bins.map((bin) => ({
    lower: Number(bin.lower.toFixed(2)),
    upper: Number(bin.upper.toFixed(2)),
    replies: bin.count,
    correct: Math.round(bin.accuracy * bin.count),
  }));
}

/** What the table says about a confidence: the band it falls in, widened to its neighbours while it holds few replies. */
export function reliabilityOf(table: ReliabilityBand[], confidence: number, minimumReplies = 20): ReliabilityBand | undefined {
  const index = table.findIndex((band) => confidence >= band.lower && (confidence < band.upper || band.upper >= 1));
  if (index < 0) return undefined;
  let [low, high] = [index, index];
  const total = () => table.slice(low, high + 1).reduce((sum, band) => sum + band.replies, 0);
  while (total() < minimumReplies && (low > 0 || high < table.length - 1)) {
    if (low > 0) low -= 1;
    if (total() < minimumReplies && high < table.length - 1) high += 1;
  }
  const bands = table.slice(low, high + 1);
  return {
    lower: bands[0]!.lower,
    upper: bands[bands.length - 1]!.upper,
    replies: total(),
    correct: bands.reduce((sum, band) => sum + band.correct, 0),
  };
}
