import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as AdaptiveCards from 'adaptivecards';
import Ajv from 'ajv';
import { expect } from 'vitest';
import addFormats from 'ajv-formats';
import { type CardAction, parseCardAction } from './actions';
import { type AdaptiveCard, type ExecuteButton, maxCardBytes } from './elements';

/*
 * Test support: checks a built card the way a host would, against the official Adaptive Cards 1.5 JSON
 * schema (from the shared spec kit, outside the repository) and the `adaptivecards` object model.
 */

const specs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..', 'shared', 'specs');
const require = createRequire(import.meta.url);
// The package's ESM entry does not load in Node; its UMD bundle does.
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

function compileCardSchema() {
  const schema = JSON.parse(readFileSync(path.join(specs, 'adaptive-cards', 'adaptive-card-1.5.json'), 'utf8'));
  // The file declares draft-06 but names itself with the draft-04 `id`.
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  return ajv.compile(schema);
}
const validateAgainstSchema = compileCardSchema();

/** Every problem the schema or the `adaptivecards` library finds in a card; empty when it is clean. */
export function cardProblems(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  if (!validateAgainstSchema(card)) {
    for (const error of validateAgainstSchema.errors ?? []) problems.push(`schema: ${error.instancePath} ${error.message}`);
  }
  const model = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  model.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of model.validateProperties().validationEvents) problems.push(`validation: ${event.message}`);
  return problems;
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
export { maxCardBytes };

/** Every object in a card (elements, inlines, buttons, show-cards, the refresh action), depth first. */
function nodesOf(card: AdaptiveCard): Record<string, unknown>[] {
  const nodes: Record<string, unknown>[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      nodes.push(value as Record<string, unknown>);
      for (const [key, child] of Object.entries(value)) if (key !== 'data') walk(child);
    }
  };
  walk(card);
  return nodes;
}

export function executeButtons(card: AdaptiveCard): ExecuteButton[] {
  return nodesOf(card).filter((node) => node.type === 'Action.Execute') as unknown as ExecuteButton[];
}

export function inputIds(card: AdaptiveCard): string[] {
  return nodesOf(card).flatMap((node) => (typeof node.type === 'string' && node.type.startsWith('Input.') ? [String(node.id)] : []));
}

/**
 * Presses a button as Teams does, merging the card's input values into the button's `data` (unless the
 * button opts out of inputs), and parses what the bot would receive.
 */
export function press(button: ExecuteButton, inputs: Record<string, string> = {}): CardAction {
  const data = button.associatedInputs === 'none' ? button.data : { ...inputs, ...button.data };
  const parsed = parseCardAction(data);
  if (!parsed.ok) throw new Error(`"${button.title}" sends data the bot rejects: ${parsed.error}`);
  if (parsed.action.action !== button.verb) throw new Error(`"${button.title}" has verb ${button.verb} but data for ${parsed.action.action}`);
  return parsed.action;
}

/** Everything the card's body shows as text, for assertions about what a viewer reads. */
export function visibleText(card: AdaptiveCard): string {
  return nodesOf({ ...card, actions: [], refresh: undefined })
    .flatMap((node) => {
      if (node.type === 'TextBlock') return [String(node.text)];
      if (node.type === 'RichTextBlock') return [(node.inlines as { text: string }[]).map((run) => run.text).join('')];
      if (node.type === undefined && typeof node.title === 'string' && typeof node.value === 'string') return [`${node.title}: ${node.value}`];
      return [];
    })
    .join('\n');
}

/** Input values a user would type, for the inputs the cards define. */
export const typedInputs = { reason: 'The tone is too pushy for a first email', stage: 'QUALIFIED', amount: '12500', label: 'neutral' };

/**
 * Asserts what every card must be: valid for the schema and the `adaptivecards` library, under the Teams size
 * limit, and with buttons whose data the bot accepts once the card's inputs are filled in.
 */
export function expectValidCard(card: AdaptiveCard): void {
  expect(cardProblems(card)).toEqual([]);
  expect(cardBytes(card)).toBeLessThan(maxCardBytes);
  for (const button of executeButtons(card)) expect(() => press(button, typedInputs)).not.toThrow();
}
