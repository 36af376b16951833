import type { MessageInsight } from './insight';

type Label = MessageInsight['classification']['label'];

const labelReadings: Record<Label, string> = {
  positive: 'interest',
  neutral: 'a neutral answer',
  objection: 'an objection',
  unsubscribe: 'a wish to stop receiving email',
  ooo: 'an out-of-office notice',
  bounce: 'a delivery failure',
};

/** A model fact names a feature, e.g. `word "demo" points to positive (+0.41)` or `phrase "next week" …`. */
const modelFact = /^(?:negated |subject )?(?:word|phrase) "([^"]+)" points to (\w+)/;

const wordsAround = 6;

/** The words of `text` around the first whole-word occurrence of `term`, or undefined when it does not occur. */
function passageAround(text: string, term: string): string | undefined {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const termWords = term.toLowerCase().split(/\s+/);
  const normalise = (word: string) => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  for (let index = 0; index + termWords.length <= words.length; index += 1) {
    if (!termWords.every((termWord, offset) => normalise(words[index + offset]!) === termWord)) continue;
    const from = Math.max(0, index - wordsAround);
    const to = Math.min(words.length, index + termWords.length + wordsAround);
    return `${from > 0 ? '…' : ''}${words.slice(from, to).join(' ')}${to < words.length ? '…' : ''}`;
  }
  return undefined;
}

/**
 * Evidence a rep reads at a glance: each fact about a model feature becomes the reply's own words around it ("“…we
 * could talk next week…” reads as interest"); a feature that is a lone number or a short word, or that the reply's
 * text does not contain, says nothing a person can check and is left out. Facts from rules pass unchanged.
 */
export function phraseEvidenceFacts(facts: readonly string[], replyText: string): string[] {
  const phrased: string[] = [];
  for (const fact of facts) {
    const match = modelFact.exec(fact);
    if (!match) {
      phrased.push(fact);
      continue;
    }
    const [, term, label] = match;
    const isBareToken = !term!.includes(' ') && (/^\p{N}+$/u.test(term!) || term!.length < 4);
    const passage = isBareToken ? undefined : passageAround(replyText, term!);
    const reading = labelReadings[label as Label];
    if (passage && reading) phrased.push(`“${passage}” reads as ${reading}`);
  }
  return [...new Set(phrased)];
}
