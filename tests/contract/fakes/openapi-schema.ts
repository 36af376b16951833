// Turns OpenAPI 3.0 Schema Objects into JSON Schema that Ajv validates with the same meaning.
// Component schemas are referenced, never inlined, so recursive specs (Graph's event <-> calendar) stay finite.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export type JsonObject = { [key: string]: unknown };
export type SchemaDirection = 'request' | 'response';

/** What differs between a request and a response: `readOnly` properties only appear in responses, `writeOnly` only in requests. */
const absentIn: Record<SchemaDirection, 'readOnly' | 'writeOnly'> = { request: 'readOnly', response: 'writeOnly' };

/** Keywords that exist only in OpenAPI (or are annotations Ajv would warn about) and carry no validation meaning here. */
const openApiOnlyKeywords = new Set([
  'nullable',
  'discriminator',
  'readOnly',
  'writeOnly',
  'example',
  'examples',
  'externalDocs',
  'xml',
  'deprecated',
]);

/** Keywords an object schema may carry and still be merged into a sibling `allOf` branch without changing its meaning. */
const mergeableKeywords = new Set(['type', 'title', 'description', 'properties', 'required', 'additionalProperties', 'patternProperties']);

const componentSchemaPrefix = '#/components/schemas/';

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id under which one document's converted components are registered with Ajv. */
function schemaSetId(documentName: string, direction: SchemaDirection): string {
  return `https://openapi-fake.invalid/${encodeURIComponent(documentName)}/${direction}`;
}

function definitionRef(setId: string, componentName: string): string {
  const pointerSegment = componentName.replace(/~/g, '~0').replace(/\//g, '~1');
  return `${setId}#/definitions/${encodeURIComponent(pointerSegment)}`;
}

function componentNameOf(ref: string): string {
  if (!ref.startsWith(componentSchemaPrefix)) {
    throw new Error(`Unsupported schema $ref "${ref}": only local #/components/schemas/ references are supported`);
  }
  return ref.slice(componentSchemaPrefix.length);
}

interface Conversion {
  readonly components: Record<string, unknown>;
  readonly direction: SchemaDirection;
  readonly setId: string;
  /** Component name -> names of the components that extend it through `allOf`, for discriminators without a mapping. */
  readonly subtypes: Map<string, string[]>;
}

/** Validators for every schema of the registered documents: bodies as sent, parameters coerced from their string form. */
export class OpenApiSchemas {
  private readonly conversions = new Map<string, Conversion>();
  private readonly bodies = createAjv(false);
  // Parameters arrive as strings but are declared as integers, booleans or arrays.
  private readonly parameters = createAjv(true);

  register(documentName: string, components: Record<string, unknown>): void {
    for (const direction of ['request', 'response'] as const) {
      const conversion: Conversion = {
        components,
        direction,
        setId: schemaSetId(documentName, direction),
        subtypes: subtypesOf(components),
      };
      const definitions: JsonObject = {};
      for (const [name, schema] of Object.entries(components)) {
        definitions[name] = convertComponent(name, schema, conversion);
      }
      for (const ajv of [this.bodies, this.parameters]) {
        acceptUnknownFormats(ajv, definitions);
        ajv.addSchema({ $id: conversion.setId, definitions });
      }
      this.conversions.set(conversion.setId, conversion);
    }
  }

  /** Compiles a schema that appears inline in an operation; its `$ref`s point into the document's components. */
  compile(documentName: string, direction: SchemaDirection, schema: unknown, target: 'body' | 'parameters'): ValidateFunction {
    const conversion = this.conversions.get(schemaSetId(documentName, direction));
    if (!conversion) throw new Error(`No OpenAPI document named "${documentName}" is registered`);
    const converted = convertSchema(schema, conversion);
    const ajv = target === 'body' ? this.bodies : this.parameters;
    acceptUnknownFormats(ajv, converted);
    if (typeof converted === 'boolean' || isJsonObject(converted)) return ajv.compile(converted);
    throw new Error(`Not a schema: ${JSON.stringify(schema)}`);
  }
}

function createAjv(coerceTypes: boolean): Ajv {
  // strict mode would reject the vendor keywords (x-ms-*, x-oaiExpandable) the specs carry.
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: coerceTypes ? 'array' : false });
  addFormats(ajv);
  // Specs converted from OData (Graph's) use "time" for Edm.TimeOfDay, a time without an offset ("08:00:00.0000000"),
  // where Ajv reads RFC 3339's full-time, which requires one: both are accepted.
  ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/i);
  return ajv;
}

/** Formats Ajv does not know (OpenAPI's int32 or double, vendors' base64url) stay annotations, as OpenAPI allows. */
function acceptUnknownFormats(ajv: Ajv, schema: unknown): void {
  if (Array.isArray(schema)) {
    schema.forEach((item) => acceptUnknownFormats(ajv, item));
    return;
  }
  if (!isJsonObject(schema)) return;
  if (typeof schema.format === 'string' && !ajv.formats[schema.format]) ajv.addFormat(schema.format, true);
  Object.values(schema).forEach((value) => acceptUnknownFormats(ajv, value));
}

/** Ajv errors as one readable line each, e.g. `body/message/toRecipients must be array`. */
export function describeErrors(errors: ErrorObject[] | null | undefined, subject: string): string[] {
  return (errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => {
      const detail =
        error.keyword === 'additionalProperties'
          ? ` (${String(error.params.additionalProperty)})`
          : error.keyword === 'enum'
            ? ` (${JSON.stringify(error.params.allowedValues)})`
            : '';
      // The only `false` schemas are the properties hidden by readOnly (in requests) or writeOnly (in responses).
      const message = error.keyword === 'false schema' ? 'must not be sent this way (readOnly/writeOnly)' : error.message;
      return `${subject}${error.instancePath} ${message ?? error.keyword}${detail}`;
    });
}

function subtypesOf(components: Record<string, unknown>): Map<string, string[]> {
  const subtypes = new Map<string, string[]>();
  for (const [name, schema] of Object.entries(components)) {
    if (!isJsonObject(schema) || !Array.isArray(schema.allOf)) continue;
    for (const branch of schema.allOf) {
      if (!isJsonObject(branch) || typeof branch.$ref !== 'string' || !branch.$ref.startsWith(componentSchemaPrefix)) continue;
      const parent = componentNameOf(branch.$ref);
      subtypes.set(parent, [...(subtypes.get(parent) ?? []), name]);
    }
  }
  return subtypes;
}

function convertComponent(name: string, schema: unknown, conversion: Conversion): unknown {
  if (!isJsonObject(schema) || !isJsonObject(schema.discriminator)) return convertSchema(schema, conversion);
  return dispatchOnDiscriminator(name, schema, schema.discriminator, conversion);
}

/**
 * An OpenAPI discriminator picks the schema by the value of one property. Ajv's own `discriminator` keyword only
 * covers `oneOf` with literal values, so it becomes an if/then chain over the mapping, falling back to the schema itself.
 */
function dispatchOnDiscriminator(name: string, schema: JsonObject, discriminator: JsonObject, conversion: Conversion): unknown {
  const propertyName = discriminator.propertyName;
  if (typeof propertyName !== 'string') throw new Error(`Schema "${name}" has a discriminator without a propertyName`);
  const { discriminator: _dispatch, ...withoutDiscriminator } = schema;
  const fallback = convertSchema(withoutDiscriminator, conversion);
  const entries = Object.entries(discriminatorMapping(name, schema, discriminator, conversion));
  return entries.reduceRight<unknown>(
    (otherwise, [value, target]) => ({
      if: { type: 'object', required: [propertyName], properties: { [propertyName]: { const: value } } },
      then: { $ref: definitionRef(conversion.setId, target) },
      else: otherwise,
    }),
    fallback,
  );
}

function discriminatorMapping(name: string, schema: JsonObject, discriminator: JsonObject, conversion: Conversion): Record<string, string> {
  if (isJsonObject(discriminator.mapping)) {
    const mapping: Record<string, string> = {};
    for (const [value, target] of Object.entries(discriminator.mapping)) {
      if (typeof target !== 'string') continue;
      mapping[value] = target.startsWith('#') ? componentNameOf(target) : target;
    }
    return mapping;
  }
  // Without a mapping the value is the component name, of the oneOf/anyOf alternatives or of the subtypes.
  const alternatives = [schema.oneOf, schema.anyOf].find(Array.isArray) ?? [];
  const named = alternatives.flatMap((branch) => (isJsonObject(branch) && typeof branch.$ref === 'string' ? [componentNameOf(branch.$ref)] : []));
  const targets = named.length > 0 ? named : (conversion.subtypes.get(name) ?? []);
  return Object.fromEntries(targets.map((target) => [target, target]));
}

function convertSchema(schema: unknown, conversion: Conversion): unknown {
  if (Array.isArray(schema)) return schema.map((item) => convertSchema(item, conversion));
  if (!isJsonObject(schema)) return schema;

  if (typeof schema.$ref === 'string') {
    // OpenAPI 3.0 ignores the siblings of $ref; `nullable` is the one whose intent every spec relies on.
    const reference = { $ref: definitionRef(conversion.setId, componentNameOf(schema.$ref)) };
    return schema.nullable === true ? { anyOf: [reference, { type: 'null' }] } : reference;
  }

  const converted: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (openApiOnlyKeywords.has(keyword) || keyword.startsWith('x-')) continue;
    converted[keyword] = convertKeyword(keyword, value, conversion);
  }
  hidePropertiesAbsentIn(schema, converted, conversion.direction);

  const flattened = Array.isArray(schema.allOf) ? flattenAllOf(converted, schema.allOf, conversion) : converted;
  return schema.nullable === true ? allowNull(flattened) : flattened;
}

function convertKeyword(keyword: string, value: unknown, conversion: Conversion): unknown {
  switch (keyword) {
    case 'properties':
    case 'patternProperties':
      return isJsonObject(value)
        ? Object.fromEntries(Object.entries(value).map(([name, property]) => [name, convertSchema(property, conversion)]))
        : value;
    case 'items':
    case 'additionalProperties':
    case 'not':
    case 'oneOf':
    case 'anyOf':
      return convertSchema(value, conversion);
    default:
      return value;
  }
}

/** A property that must not travel in this direction is forbidden there, and never required. */
function hidePropertiesAbsentIn(schema: JsonObject, converted: JsonObject, direction: SchemaDirection): void {
  if (!isJsonObject(schema.properties) || !isJsonObject(converted.properties)) return;
  const hidden = Object.entries(schema.properties)
    .filter(([, property]) => isJsonObject(property) && property[absentIn[direction]] === true)
    .map(([name]) => name);
  if (hidden.length === 0) return;
  converted.properties = { ...converted.properties, ...Object.fromEntries(hidden.map((name) => [name, false])) };
  if (Array.isArray(converted.required)) converted.required = converted.required.filter((name) => !hidden.includes(String(name)));
}

function allowNull(schema: JsonObject): JsonObject {
  if (typeof schema.type === 'string') {
    const nullable: JsonObject = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) nullable.enum = [...schema.enum, null];
    return nullable;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

/**
 * JSON Schema applies `additionalProperties` per allOf branch, so a subtype's own properties would be "additional"
 * to its base (every Graph entity declares `additionalProperties`). Inheritance is therefore flattened: the parents
 * are inlined (without their discriminator, which would dispatch straight back here) and plain object branches merged.
 */
function flattenAllOf(converted: JsonObject, allOf: unknown[], conversion: Conversion): JsonObject {
  const { allOf: _branches, ...own } = converted;
  const branches = allOf.map((branch) => convertSchema(inheritedSchema(branch, conversion.components), conversion));
  const parts = [...branches, own];
  if (!parts.every(isMergeable)) return { ...own, allOf: branches };

  const merged: JsonObject = { type: 'object' };
  const required = new Set<unknown>();
  for (const part of parts) {
    for (const [keyword, value] of Object.entries(part)) {
      if (keyword === 'type') continue;
      if (keyword === 'required') {
        if (Array.isArray(value)) value.forEach((name) => required.add(name));
      } else if (keyword === 'properties' || keyword === 'patternProperties') {
        merged[keyword] = mergeProperties(merged[keyword], value);
      } else {
        // title, description, additionalProperties: the most derived branch (last) has the final word.
        merged[keyword] = value;
      }
    }
  }
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function inheritedSchema(branch: unknown, components: Record<string, unknown>): unknown {
  if (!isJsonObject(branch) || typeof branch.$ref !== 'string') return branch;
  const parent = components[componentNameOf(branch.$ref)];
  if (!isJsonObject(parent)) throw new Error(`allOf refers to missing schema "${branch.$ref}"`);
  const { discriminator: _dispatch, ...withoutDiscriminator } = parent;
  return branch.nullable === true ? { ...withoutDiscriminator, nullable: true } : withoutDiscriminator;
}

function isMergeable(part: unknown): part is JsonObject {
  return (
    isJsonObject(part) && (part.type === undefined || part.type === 'object') && Object.keys(part).every((keyword) => mergeableKeywords.has(keyword))
  );
}

function mergeProperties(existing: unknown, added: unknown): JsonObject {
  const merged: JsonObject = isJsonObject(existing) ? { ...existing } : {};
  for (const [name, schema] of Object.entries(isJsonObject(added) ? added : {})) {
    merged[name] = name in merged ? { allOf: [merged[name], schema] } : schema;
  }
  return merged;
}
