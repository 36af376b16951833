import { detectAutoReply, detectOutOfOfficeText } from './detect-auto-reply';
import { detectDeliveryReport } from './detect-bounce';
import { detectSpamComplaint, detectUnsubscribeRequest } from './detect-unsubscribe';
import { featureVector, type FeatureVector } from './features';
import { readHeaders, type HeaderMap } from './headers';
import { readMessageDate } from './message-date';
import { isReplySubject, readReplyText, type ReplyText } from './reply-text';
import type { RuleMatch } from './rule-match';
import type { InboundMessage, TraceStep } from './schema';

/** A reply made safe to work on: every field present and typed, whatever arrived. */
export interface ReadReply {
  rawSubject: string;
  from: string;
  /** ISO date-time of the message, when it had a usable one. */
  date?: string;
  headers: HeaderMap;
  text: ReplyText;
  /** What was repaired, converted or ignored while reading. */
  notes: TraceStep[];
}

function stringField(message: unknown, field: string, notes: TraceStep[]): string {
  const value = typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[field] : undefined;
  if (typeof value === 'string') return value;
  if (value !== undefined) notes.push({ step: 'input', detail: `${field} is not a string; treated as empty` });
  return '';
}

/** The message's own date: the `date` field, else its `Date:` header; unreadable ones are noted and left out. */
function messageDate(raw: string, notes: TraceStep[]): string | undefined {
  if (raw.trim() === '') return undefined;
  const read = readMessageDate(raw);
  if (read.ok) return read.date;
  notes.push({ step: 'input', detail: `date ${read.reason}; relative dates stay unresolved` });
  return undefined;
}

/** Reads a message defensively: triage must answer for malformed input too, never throw. */
export function readReply(message: InboundMessage): ReadReply {
  const notes: TraceStep[] = [];
  const rawSubject = stringField(message, 'subject', notes);
  const body = stringField(message, 'body', notes);
  const from = stringField(message, 'from', notes);
  const rawDate = stringField(message, 'date', notes);
  const { headers, problems } = readHeaders((message as { headers?: unknown } | null)?.headers);
  for (const problem of problems) notes.push({ step: 'headers', detail: problem });
  const date = messageDate(rawDate || (headers.get('date') ?? ''), notes);
  const text = readReplyText(rawSubject, body, headers);
  return { rawSubject, from, ...(date ? { date } : {}), headers, text, notes: [...notes, ...text.notes] };
}

export interface RuleOutcome {
  match?: RuleMatch;
  /** One entry per rule checked, in order, for the decision trace. */
  checked: TraceStep[];
}

/** The obvious signals, strongest first; the first that fires decides the label. */
export function matchRules(reply: ReadReply): RuleOutcome {
  const { headers, from, rawSubject, text } = reply;
  const checks: [string, () => RuleMatch | undefined][] = [
    ['spam-complaint', () => detectSpamComplaint(headers, text.fullText)],
    ['delivery-report', () => detectDeliveryReport({ subject: rawSubject, from, headers, fullText: text.fullText })],
    ['auto-reply', () => detectAutoReply({ rawSubject, headers, ownText: text.ownText })],
    ['unsubscribe-request', () => detectUnsubscribeRequest(text.subject, text.ownText)],
    ['out-of-office-text', () => detectOutOfOfficeText(text.ownText)],
  ];
  const checked: TraceStep[] = [];
  for (const [name, check] of checks) {
    const match = check();
    if (match) {
      checked.push({ step: `rule:${match.rule}`, detail: `fired → ${match.label}: ${match.facts.join('; ')}` });
      return { match, checked };
    }
    checked.push({ step: `rule:${name}`, detail: 'no match' });
  }
  return { checked };
}

export function replyFeatures(reply: ReadReply, bucketCount: number): FeatureVector {
  const ownSubject = isReplySubject(reply.rawSubject) ? '' : reply.text.subject;
  return featureVector(ownSubject, reply.text.ownText, bucketCount);
}
