/**
 * Classifies replies from a JSONL file (or "-" for stdin), one JSON result per line on stdout:
 *
 *   npm run classify -- replies.jsonl
 *
 * A bad line yields {"error":"line N: <reason>"} and processing goes on; the exit code is 0 unless the
 * input cannot be read.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { classifyReply } from './classify';
import { inboundMessageSchema, type ReplyClassification } from './schema';

/** What the CLI prints for a classified line: the decision and what triage acts on, without the trace. */
function summarizeClassification(classification: ReplyClassification) {
  return {
    label: classification.label,
    confidence: Number(classification.confidence.toFixed(4)),
    ...(classification.ooo?.returnDate ? { returnDate: classification.ooo.returnDate } : {}),
    ...(classification.ooo?.referral ? { referral: classification.ooo.referral } : {}),
    ...(classification.bounce ? { bounceKind: classification.bounce.kind } : {}),
    ...(classification.bounce?.status ? { bounceStatus: classification.bounce.status } : {}),
  };
}

/** The output line for one input line. */
function classifyLine(line: string, lineNumber: number): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { error: `line ${lineNumber}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const message = inboundMessageSchema.safeParse(parsed);
  if (!message.success) {
    const reasons = message.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`);
    return { error: `line ${lineNumber}: ${reasons.join('; ')}` };
  }
  return summarizeClassification(classifyReply(message.data));
}

async function main(argument: string | undefined): Promise<number> {
  if (!argument) {
    process.stderr.write('usage: npm run classify -- <file.jsonl | ->\n');
    return 2;
  }
  const input = argument === '-' ? process.stdin : createReadStream(argument, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      process.stdout.write(`${JSON.stringify(classifyLine(line, lineNumber))}\n`);
    }
  } catch (error) {
    process.stderr.write(`cannot read ${argument}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv[2]);
