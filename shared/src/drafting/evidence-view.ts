import type { Approval, DraftAuthor } from '../approvals/approval';
import type { EvidenceFact } from '../policy/action';

/** A drafted sentence beside the facts it cites, as approvers and reps see it. */
export interface CitedSentence {
  text: string;
  facts: EvidenceFact[];
  /** Ids the sentence cites that no stored fact has (the policy holds such a draft). */
  missing: string[];
}

/** The sentences of a draft that cite facts, each with those facts; sentences in the tenant's own words are left out. */
export function citedSentences(evidence: Pick<Approval['evidence'], 'facts' | 'sentences'>): CitedSentence[] {
  const byId = new Map(evidence.facts.filter((fact) => fact.id).map((fact) => [fact.id!, fact]));
  return (evidence.sentences ?? [])
    .filter((sentence) => sentence.factIds.length > 0)
    .map((sentence) => ({
      text: sentence.text,
      facts: sentence.factIds.flatMap((id) => byId.get(id) ?? []),
      missing: sentence.factIds.filter((id) => !byId.has(id)),
    }));
}

/** Who wrote the draft, in words: the model, ASEP's rules (and why the model was not used), or the approver. */
export function draftAuthorNote(author: DraftAuthor | undefined): string | undefined {
  switch (author?.kind) {
    case 'model':
      return `Drafted by the tenant's Azure OpenAI deployment${author.deployment ? ` (${author.deployment})` : ''} from the facts below.`;
    case 'offline':
      return `Drafted offline by ASEP's rules from the campaign's template${author.fallbackReason ? `: ${author.fallbackReason}` : ''}.`;
    case 'approver':
      return 'Edited by the approver before it was approved.';
    default:
      return undefined;
  }
}

/** Where a fact was read and when, in one line: "website https://… · retrieved 2026-11-24". */
export function factOrigin(fact: EvidenceFact): string {
  return [fact.source, fact.url ?? fact.recordId, fact.retrievedAt ? `retrieved ${fact.retrievedAt.slice(0, 10)}` : undefined]
    .filter(Boolean)
    .join(' · ');
}
