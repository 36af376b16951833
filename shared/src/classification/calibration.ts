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
