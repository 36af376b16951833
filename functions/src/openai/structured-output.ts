import { z } from 'zod';

/**
 * Keywords Azure OpenAI's strict structured outputs refuse. They are dropped from the schema the model sees; the
 * zod schema still enforces them on the answer, so a length or range the model ignores makes the answer invalid.
 */
const unsupportedKeywords = new Set([
  '$schema',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'default',
]);

/**
 * The JSON schema for `response_format: { type: 'json_schema', strict: true }` from one of our zod schemas. Strict
 * mode needs every object closed and every property required, which `z.object` with no optional fields gives.
 */
export function structuredOutputSchema(schema: z.ZodType): Record<string, unknown> {
  return withoutUnsupported(z.toJSONSchema(schema, { io: 'output' })) as Record<string, unknown>;
}

function withoutUnsupported(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutUnsupported);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !unsupportedKeywords.has(key))
      .map(([key, value]) => [key, key === 'properties' || key === '$defs' ? mapValues(value) : withoutUnsupported(value)]),
  );
}

/** Under `properties`, keys are property names, which may well be called `format` or `pattern`. */
function mapValues(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return record;
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, withoutUnsupported(value)]));
}
