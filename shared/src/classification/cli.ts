/**
 * Classifies replies from a JSONL file (or "-" for stdin), one JSON result per line on stdout:
 *
 *   npm run classify -- replies.jsonl
 *   npm run classify -- --evaluate labelled.jsonl
 *
 * Lines are exported mail as it comes: RFC 5322 or null dates, HTML-only bodies, repeated headers, and lines
 * in Latin-1 / Windows-1252 rather than UTF-8. A line that cannot be read yields {"line":N,"error":"…"}
 * and processing goes on; the exit code is 0 unless the input cannot be read. With --evaluate each line also
 * carries a `label`, and the report (per-class precision/recall/F1, macro-F1, ECE, confusion matrix,
 * reliability table) is printed instead.
 */
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { classifyReply } from './classify';
import { evaluateClassifier } from './evaluate';
import { formatEvaluation } from './evaluation-report';
import { inboundMessageFields, inboundMessageSchema, replyLabelSchema, toInboundMessage, type ReplyClassification } from './schema';

/** What the CLI prints for a classified line: the decision and what triage acts on, without the trace. */
function summarizeClassification(classification: ReplyClassification) {
  return {
    label: classification.label,
    confidence: Number(classification.confidence.toFixed(4)),
    ...(classification.ooo?.returnDate ? { returnDate: classification.ooo.returnDate } : {}),
    ...(classification.ooo?.referral || classification.referral ? { referral: classification.ooo?.referral ?? classification.referral } : {}),
    ...(classification.ooo?.leftCompany ? { leftCompany: true } : {}),
    ...(classification.bounce ? { bounceKind: classification.bounce.kind } : {}),
    ...(classification.bounce?.status ? { bounceStatus: classification.bounce.status } : {}),
  };
}

const labelledMessageSchema = inboundMessageFields.extend({ label: replyLabelSchema }).transform((message) => toInboundMessage(message));

type LineResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseLine<T>(line: string, lineNumber: number, schema: z.ZodType<T>): LineResult<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `line ${lineNumber}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const message = schema.safeParse(parsed);
  if (message.success) return { ok: true, value: message.data };
  const reasons = message.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`);
  return { ok: false, error: `line ${lineNumber}: ${reasons.join('; ')}` };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/** One line's text: UTF-8 when it is, else Windows-1252 (a superset of Latin-1), which every byte decodes as. */
function decodeLine(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return windows1252.decode(bytes);
  }
}

/** The input's lines as text, split on LF (CRLF tolerated), each decoded on its own. */
async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  let pending = Buffer.alloc(0);
  for await (const chunk of input) {
    pending = Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)]);
    let newline = pending.indexOf(0x0a);
    while (newline >= 0) {
      yield decodeLine(pending.subarray(0, newline)).replace(/\r$/, '');
      pending = pending.subarray(newline + 1);
      newline = pending.indexOf(0x0a);
    }
  }
  if (pending.length > 0) yield decodeLine(pending).replace(/\r$/, '');
}

async function classifyFile(input: NodeJS.ReadableStream): Promise<void> {
  let lineNumber = 0;
  for await (const line of readLines(input)) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const message = parseLine(line, lineNumber, inboundMessageSchema);
    const output = message.ok ? summarizeClassification(classifyReply(message.value)) : { line: lineNumber, error: message.error };
    process.stdout.write(`${JSON.stringify(output)}\n`);
  }
}

async function evaluateFile(input: NodeJS.ReadableStream): Promise<void> {
  const examples = [];
  const errors: string[] = [];
  let lineNumber = 0;
  for await (const line of readLines(input)) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const example = parseLine(line, lineNumber, labelledMessageSchema);
    if (example.ok) examples.push(example.value);
    else errors.push(example.error);
  }
  for (const error of errors) process.stderr.write(`${error}\n`);
  process.stdout.write(`${formatEvaluation(evaluateClassifier(examples), { title: `${examples.length} labelled replies` })}\n`);
  if (errors.length > 0) process.stdout.write(`${errors.length} line(s) skipped (reasons on stderr)\n`);
}

async function main(argv: string[]): Promise<number> {
  const evaluate = argv.includes('--evaluate');
  const argument = argv.find((value) => value !== '--evaluate');
  if (!argument) {
    process.stderr.write('usage: npm run classify -- [--evaluate] <file.jsonl | ->\n');
    return 2;
  }
  const input = argument === '-' ? process.stdin : createReadStream(argument);
  try {
    await (evaluate ? evaluateFile(input) : classifyFile(input));
  } catch (error) {
    process.stderr.write(`cannot read ${argument}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
