import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { hashFeature } from './features';
import { inboundMessageFields, replyLabelSchema, toInboundMessage } from './schema';

export const devExampleSchema = inboundMessageFields
  .extend({
    label: replyLabelSchema,
    expect: z
      .object({
        returnDate: z.iso.date().optional(),
        referralEmail: z.string().optional(),
        bounceKind: z.enum(['hard', 'soft']).optional(),
        leftCompany: z.boolean().optional(),
      })
      .optional(),
    /**
     * Generated examples name the template they came from; a whole template goes to one split, so the test
     * split holds phrasings the model never saw in training, not new fillings of familiar ones.
     */
    family: z.string().min(1).optional(),
    /** ISO 639-1 code of the reply's own words, for per-language figures. */
    language: z.string().min(2).max(3).optional(),
    /** "hand-written", or where a public example came from and under which licence. */
    source: z.string().min(1),
  })
  .transform((example) => toInboundMessage(example));
export type DevExample = z.infer<typeof devExampleSchema>;

export type DevSplit = 'train' | 'calibration' | 'test';

const devSetDirectory = new URL('./dev-set/', import.meta.url);

/**
 * Which split an example belongs to, from a hash of its text: stable when examples are added, and the
 * same text (or template) can never be in two splits. Roughly 55% train, 15% calibration, 30% test.
 */
export function splitOf(example: Pick<DevExample, 'subject' | 'body' | 'family'>): DevSplit {
  const slot = hashFeature(example.family ?? `${example.subject}\u0000${example.body}`) % 100;
  if (slot < 55) return 'train';
  if (slot < 70) return 'calibration';
  return 'test';
}

/** Every example in dev-set/*.jsonl, or only those of one split. Throws on a malformed line, naming it. */
export function loadDevSet(split?: DevSplit): DevExample[] {
  const files = readdirSync(devSetDirectory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  const examples: DevExample[] = [];
  for (const file of files) {
    const lines = readFileSync(new URL(file, devSetDirectory), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        throw new Error(`dev-set/${file} line ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const parsed = devExampleSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`dev-set/${file} line ${index + 1}: ${z.prettifyError(parsed.error)}`);
      examples.push(parsed.data);
    });
  }
  return split ? examples.filter((example) => splitOf(example) === split) : examples;
}
