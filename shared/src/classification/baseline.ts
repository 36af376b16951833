/**
 * The textbook peer the classifier is measured against: TF-IDF over word unigrams and bigrams of subject and
 * body as they arrive, and a multinomial logistic regression on top. No rules, no quote stripping, no
 * calibration: what five lines of scikit-learn would give, trained on the same training split.
 */
import { softmax } from './model';
import { replyLabels, type InboundMessage, type ReplyClassification, type ReplyLabel } from './schema';

function terms(message: InboundMessage): string[] {
  const words = `${message.subject} ${message.body}`.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const grams = [...words];
  for (let i = 1; i < words.length; i += 1) grams.push(`${words[i - 1]} ${words[i]}`);
  return grams;
}

interface SparseRow {
  indices: number[];
  values: number[];
}

export interface BaselineModel {
  classify(message: InboundMessage): ReplyClassification;
}

/** Fits the baseline (full-batch gradient descent with L2, 200 epochs); deterministic. */
export function fitBaseline(examples: (InboundMessage & { label: ReplyLabel })[]): BaselineModel {
  const vocabulary = new Map<string, number>();
  const documentFrequency: number[] = [];
  const tokenized = examples.map((example) => {
    const unique = [...new Set(terms(example))];
    for (const term of unique) {
      let index = vocabulary.get(term);
      if (index === undefined) {
        index = vocabulary.size;
        vocabulary.set(term, index);
        documentFrequency.push(0);
      }
      documentFrequency[index] = (documentFrequency[index] ?? 0) + 1;
    }
    return terms(example);
  });
  const idf = documentFrequency.map((count) => Math.log((1 + examples.length) / (1 + count)) + 1);
  const vectorize = (grams: string[]): SparseRow => {
    const counts = new Map<number, number>();
    for (const gram of grams) {
      const index = vocabulary.get(gram);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    const indices = [...counts.keys()];
    const values = indices.map((index) => (counts.get(index) ?? 0) * (idf[index] ?? 0));
    const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
    return { indices, values: values.map((value) => value / norm) };
  };
  const rows = tokenized.map(vectorize);
  const labels = examples.map((example) => replyLabels.indexOf(example.label));
  const classes = replyLabels.length;
  const weights = new Float64Array(vocabulary.size * classes);
  const bias = new Float64Array(classes);
  const logits = (row: SparseRow) => {
    const out = Array.from(bias);
    row.indices.forEach((index, i) => {
      for (let k = 0; k < classes; k += 1) out[k]! += (weights[index * classes + k] ?? 0) * (row.values[i] ?? 0);
    });
    return out;
  };
  const [epochs, rate, l2] = [200, 20, 1e-5];
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    const gradient = new Float64Array(weights.length);
    const biasGradient = new Float64Array(classes);
    rows.forEach((row, n) => {
      const probabilities = softmax(logits(row), 1);
      for (let k = 0; k < classes; k += 1) {
        const error = ((probabilities[k] ?? 0) - (k === labels[n] ? 1 : 0)) / rows.length;
        biasGradient[k]! += error;
        row.indices.forEach((index, i) => {
          gradient[index * classes + k]! += error * (row.values[i] ?? 0);
        });
      }
    });
    for (let i = 0; i < weights.length; i += 1) weights[i]! -= rate * ((gradient[i] ?? 0) + l2 * (weights[i] ?? 0));
    for (let k = 0; k < classes; k += 1) bias[k]! -= rate * (biasGradient[k] ?? 0);
  }
  return {
    classify(message) {
      const probabilities = softmax(logits(vectorize(terms(message))), 1);
      const best = probabilities.indexOf(Math.max(...probabilities));
      return {
        label: replyLabels[best] ?? 'neutral',
        confidence: probabilities[best] ?? 0,
        evidence: { excerpt: '', facts: [], trace: [{ step: 'baseline', detail: 'TF-IDF + logistic regression' }] },
      };
    },
  };
}
