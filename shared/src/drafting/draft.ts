import { z } from 'zod';
import type { DraftAuthor, DraftSentence } from '../approvals/approval';
import type { ResearchFact } from '../research/fact';

/** A drafted email: what is sent, and each of its sentences with the facts it rests on. */
export interface EmailDraft {
  subject: string;
  body: string;
  sentences: DraftSentence[];
  author: DraftAuthor;
}

/**
 * What the model answers (strict structured output): paragraphs of sentences, each naming the ids of the facts it
 * states, and one call to action. Sentences in the tenant's own words cite nothing.
 */
export const modelDraftSchema = z.object({
  subject: z.string().min(1).max(150),
  paragraphs: z
    .array(
      z.object({
        sentences: z
          .array(z.object({ text: z.string().min(1).max(400), factIds: z.array(z.string()).max(5) }))
          .min(1)
          .max(8),
      }),
    )
    .min(1)
    .max(6),
  callToAction: z.string().min(1).max(300),
});
export type ModelDraft = z.infer<typeof modelDraftSchema>;

export function fromModelDraft(output: ModelDraft, author: DraftAuthor): EmailDraft {
  const paragraphs = output.paragraphs.map((paragraph) => paragraph.sentences);
  const sentences = [...paragraphs.flat(), { text: output.callToAction, factIds: [] }];
  const body = [...paragraphs.map((paragraph) => paragraph.map((sentence) => sentence.text).join(' ')), output.callToAction].join('\n\n');
  return { subject: output.subject, body, sentences, author };
}

interface Paragraph {
  text: string;
  sentences: DraftSentence[];
}

/** The sentences of one paragraph of plain text; none cites a fact. */
function sentencesIn(paragraph: string): DraftSentence[] {
  return paragraph
    .replace(/\s*\n\s*/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z0-9“"])/)
    .map((text) => text.trim())
    .filter((text) => text.length > 0)
    .map((text) => ({ text, factIds: [] }));
}

/** The sentences of a plain-text body, paragraph by paragraph; none cites a fact. */
export function sentencesOf(body: string): DraftSentence[] {
  return body.split(/\n\s*\n/).flatMap(sentencesIn);
}

/** How the rules introduce a fact from each source; the fact itself is quoted as research read it. */
const introductions: Partial<Record<ResearchFact['source'], string>> = {
  website: 'I came across this on your website:',
  crm: 'From our earlier conversations:',
  mail: 'Picking up where we left off:',
};

/** The slot a tenant's template may mark for the researched line; without it the line follows the greeting. */
export const researchSlot = '{{research}}';

/**
 * ASEP's own drafter, for when no model is configured, the budget is spent or the model fails: the tenant's template,
 * rendered, with one researched fact quoted in the slot (or after the greeting). `attempt` picks another fact when an
 * approver asks for a new draft.
 */
export function offlineDraft(
  rendered: { subject: string; body: string },
  facts: readonly ResearchFact[],
  options: { attempt?: number; fallbackReason: string },
): EmailDraft {
  const usable = facts.filter((fact) => introductions[fact.source]);
  const chosen = usable.length > 0 ? usable[(options.attempt ?? 0) % usable.length] : undefined;
  const line = chosen ? `${introductions[chosen.source]} “${chosen.fact.replace(/[“”]/g, '"')}”` : '';
  const paragraph = (text: string, cited?: string): Paragraph => ({
    text,
    sentences: cited ? [{ text: cited, factIds: [chosen!.id] }] : sentencesIn(text),
  });
  const paragraphs = rendered.body
    .split(/\n\s*\n/)
    .map((text) => text.trim())
    .filter((text) => text.length > 0);
  let slotted: Paragraph[];
  const slot = paragraphs.findIndex((text) => text.includes(researchSlot));
  if (slot >= 0) {
    slotted = paragraphs.map((text, index) => {
      if (index !== slot) return paragraph(text);
      const [before = '', after = ''] = text.split(researchSlot).map((part) => part.trim());
      const sentences = [...sentencesIn(before), ...(line ? [{ text: line, factIds: [chosen!.id] }] : []), ...sentencesIn(after)];
      return { text: [before, line, after].filter(Boolean).join(' '), sentences };
    });
  } else {
    const [greeting, ...rest] = paragraphs.map((text) => paragraph(text));
    const researched = line ? [paragraph(line, line)] : [];
    slotted = greeting && rest.length > 0 ? [greeting, ...researched, ...rest] : [...researched, ...(greeting ? [greeting] : [])];
  }
  slotted = slotted.filter((entry) => entry.text.length > 0);
  return {
    subject: rendered.subject,
    body: slotted.map((entry) => entry.text).join('\n\n'),
    sentences: slotted.flatMap((entry) => entry.sentences),
    author: { kind: 'offline', fallbackReason: options.fallbackReason },
  };
}
