import { findClaims } from './claims';
import type { SendEmailAction } from './action';
import type { Finding, PolicyContext } from './context';

const dayMs = 86_400_000;

/** Digit runs as a reader would quote them ("1,200", "3.5"), compared without their separators. */
const numberPattern = /\d+(?:[.,]\d+)*/g;
const digitsOf = (text: string) => (text.match(numberPattern) ?? []).map((number) => number.replace(/[.,]/g, ''));

const quoted = (values: readonly string[]) => values.map((value) => `“${value}”`).join(', ');

/**
 * Evidence quality of a researched draft: every claim rests on a stored fact, every cited fact is on record and fresh,
 * and no number appears that neither a fact nor the tenant's own wording states. Each failure asks a Manager, naming it.
 */
export function evidenceFindings(action: SendEmailAction, { policy, now }: Pick<PolicyContext, 'policy' | 'now'>, findings: Finding[]): void {
  const { draft } = action;
  if (!draft || action.approved) return;
  const rules = policy.rules.evidence;
  const facts = new Map(action.evidence.filter((fact) => fact.id).map((fact) => [fact.id!, fact]));
  const authored = draft.authoredText.toLowerCase();

  if (rules.claimsNeedFacts) {
    const unknown = [...new Set(draft.sentences.flatMap((sentence) => sentence.factIds.filter((id) => !facts.has(id))))];
    if (unknown.length > 0) {
      findings.push({
        rule: 'evidence.claimsNeedFacts',
        outcome: 'approval',
        message: `The draft cites facts that are not on record: ${unknown.join(', ')}.`,
      });
    }
    const unsupported = draft.sentences
      .filter((sentence) => sentence.factIds.length === 0)
      .filter((sentence) => findClaims(sentence.text).some((claim) => !authored.includes(claim)));
    if (unsupported.length > 0) {
      findings.push({
        rule: 'evidence.claimsNeedFacts',
        outcome: 'approval',
        message: `No stored fact supports ${quoted(unsupported.map((sentence) => sentence.text))}.`,
      });
    }
  }

  const cutoff = now.getTime() - rules.maxFactAgeDays * dayMs;
  const stale = [...new Set(draft.sentences.flatMap((sentence) => sentence.factIds))]
    .map((id) => facts.get(id))
    .filter((fact) => fact?.retrievedAt !== undefined && Date.parse(fact.retrievedAt) < cutoff);
  if (stale.length > 0) {
    findings.push({
      rule: 'evidence.maxFactAgeDays',
      outcome: 'approval',
      message: `The draft cites facts older than the ${rules.maxFactAgeDays}-day freshness window: ${stale
        .map((fact) => `“${fact!.fact}” (${fact!.source}, retrieved ${fact!.retrievedAt!.slice(0, 10)})`)
        .join(', ')}.`,
    });
  }

  if (rules.numbersNeedFacts) {
    const known = new Set([...action.evidence.flatMap((fact) => digitsOf(fact.fact)), ...digitsOf(authored)]);
    const unknownNumbers = [...new Set((action.body.match(numberPattern) ?? []).filter((number) => !known.has(number.replace(/[.,]/g, ''))))];
    if (unknownNumbers.length > 0) {
      findings.push({
        rule: 'evidence.numbersNeedFacts',
        outcome: 'approval',
        message: `The draft states ${unknownNumbers.length === 1 ? 'a number' : 'numbers'} that no fact contains: ${quoted(unknownNumbers)}.`,
      });
    }
  }
}
