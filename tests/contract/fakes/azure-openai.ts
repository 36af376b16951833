// Azure OpenAI data-plane inference (api-version 2024-10-21) served by the OpenAPI fake. Chat completions answer
// with the structured output a test supplies, after checking it against the json_schema the request asked for.
import { randomUUID } from 'node:crypto';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { z } from 'zod/v4';
import { describeErrors, isJsonObject, type JsonObject } from './openapi-schema';
import {
  compileOpenApiContract,
  startOpenApiFake,
  type FakeRequest,
  type FakeResponse,
  type OpenApiContract,
  type OpenApiFake,
} from './openapi-fake';
import { readSharedSpec } from './shared-specs';

export interface ChatCompletionRequest {
  deployment: string;
  messages: JsonObject[];
  /** Present when the request asked for `response_format: { type: 'json_schema' }`. */
  jsonSchema: { name: string; schema: unknown; strict: boolean } | undefined;
  body: JsonObject;
}

/** What the "model" answers: an object (serialised as the message content) or plain text. */
export type ModelOutput = (request: ChatCompletionRequest) => unknown;

export interface AzureOpenAiFake extends OpenApiFake {
  /** Replaces the model's answer for the following chat completions. */
  respondWith(output: ModelOutput): void;
}

export interface AzureOpenAiFakeOptions {
  /** Deployment names that exist; any other answers 404 DeploymentNotFound, as the service does. */
  deployments: string[];
  respond?: ModelOutput;
}

// Compiled once per test process and shared by every fake: validators are pure.
let azureOpenAiContract: OpenApiContract | undefined;
const azureOpenAiApi = () =>
  (azureOpenAiContract ??= compileOpenApiContract([
    { name: 'azure-openai', document: withServiceSemantics(readSharedSpec('azure-openai-inference.json')) },
  ]));

export async function startAzureOpenAiFake(options: AzureOpenAiFakeOptions): Promise<AzureOpenAiFake> {
  let respond: ModelOutput | undefined = options.respond;
  const fake = await startOpenApiFake({ contract: azureOpenAiApi(), errorBody: (status, message) => azureOpenAiError(status, message) });
  fake.handle('ChatCompletions_Create', (request) => {
    if (!respond) throw new Error('no model output was supplied: call respondWith() or pass `respond`');
    return completeChat(request, options.deployments, respond);
  });
  return Object.assign(fake, {
    respondWith(output: ModelOutput) {
      respond = output;
    },
  });
}

export function azureOpenAiError(status: number, message: string, code?: string): JsonObject {
  const codes: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 404: 'NotFound', 429: '429', 500: 'InternalServerError' };
  return { error: { code: code ?? codes[status] ?? String(status), message } };
}

/**
 * Two upstream defects of the 2024-10-21 file, corrected in memory (the file stays untouched):
 * - `x-ms-examples` point at ./examples files that are not shipped;
 * - `ResponseFormatJsonSchema.json_schema` lists `type` as required although it has no such property (OpenAI's own
 *   spec requires only `name`); taken literally, every structured-output request would be rejected.
 */
function withServiceSemantics(original: JsonObject): JsonObject {
  const document = stripExamples(structuredClone(original));
  const components = isJsonObject(document.components) ? document.components : {};
  const schemas = isJsonObject(components.schemas) ? components.schemas : {};
  const format = schemas.ResponseFormatJsonSchema;
  const jsonSchema = isJsonObject(format) && isJsonObject(format.properties) ? format.properties.json_schema : undefined;
  if (isJsonObject(jsonSchema) && Array.isArray(jsonSchema.required)) jsonSchema.required = jsonSchema.required.filter((name) => name !== 'type');
  return document;
}

function stripExamples(node: JsonObject): JsonObject {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isJsonObject(value)) return;
    delete value['x-ms-examples'];
    Object.values(value).forEach(walk);
  };
  walk(node);
  return node;
}

const chatBody = z.looseObject({
  messages: z.array(z.looseObject({})),
  response_format: z
    .looseObject({
      type: z.string(),
      json_schema: z.object({ name: z.string(), schema: z.unknown().optional(), strict: z.boolean().nullish() }).optional(),
    })
    .optional(),
});

function completeChat(request: FakeRequest, deployments: string[], respond: ModelOutput): FakeResponse {
  const deployment = request.pathParams['deployment-id'] ?? '';
  if (!deployments.includes(deployment)) {
    return { status: 404, body: azureOpenAiError(404, `The API deployment for this resource does not exist.`, 'DeploymentNotFound') };
  }
  const body = chatBody.parse(request.body);
  const format = body.response_format?.type === 'json_schema' ? body.response_format.json_schema : undefined;
  const jsonSchema = format ? { name: format.name, schema: format.schema ?? {}, strict: format.strict === true } : undefined;
  if (jsonSchema?.strict) {
    const problems = strictSchemaProblems(jsonSchema.schema, '');
    if (problems.length > 0) {
      return {
        status: 400,
        body: azureOpenAiError(400, `Invalid schema for response_format '${jsonSchema.name}': ${problems.join('; ')}`),
      };
    }
  }
  const output = respond({ deployment, messages: body.messages, jsonSchema, body });
  if (jsonSchema) assertOutputMatches(jsonSchema, output);
  const content = typeof output === 'string' ? output : JSON.stringify(output);
  const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
  const completionTokens = Math.ceil(content.length / 4);
  return {
    status: 200,
    headers: { 'apim-request-id': randomUUID() },
    body: {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: deployment,
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content, refusal: null } }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    },
  };
}

/** Structured outputs in strict mode accept only closed objects whose properties are all required. */
function strictSchemaProblems(schema: unknown, at: string): string[] {
  if (!isJsonObject(schema)) return [];
  const problems: string[] = [];
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  if (schema.type === 'object' || isJsonObject(schema.properties)) {
    const required = Array.isArray(schema.required) ? schema.required : [];
    const optional = Object.keys(properties).filter((name) => !required.includes(name));
    if (schema.additionalProperties !== false) problems.push(`In context=(${at}), 'additionalProperties' is required to be supplied and to be false`);
    if (optional.length > 0) problems.push(`In context=(${at}), 'required' is required to include every property; missing ${optional.join(', ')}`);
  }
  const definitions = isJsonObject(schema.$defs) ? schema.$defs : {};
  const children: [string, unknown][] = [
    ...Object.entries(properties).map(([name, property]): [string, unknown] => [`${at}/${name}`, property]),
    ...Object.entries(definitions).map(([name, definition]): [string, unknown] => [`${at}/$defs/${name}`, definition]),
    [`${at}/items`, schema.items],
    ...(Array.isArray(schema.anyOf) ? schema.anyOf : []).map((branch): [string, unknown] => [at, branch]),
  ];
  return [...problems, ...children.flatMap(([path, child]) => strictSchemaProblems(child, path))];
}

/** A real model constrained by the schema can only produce conforming output, so a test that supplies anything else is wrong. */
function assertOutputMatches(jsonSchema: { name: string; schema: unknown }, output: unknown): void {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  if (!isJsonObject(jsonSchema.schema)) throw new Error(`response_format '${jsonSchema.name}' has no JSON schema object`);
  const validate = ajv.compile(jsonSchema.schema);
  if (!validate(output)) {
    throw new Error(
      `the supplied model output does not match response_format '${jsonSchema.name}': ${describeErrors(validate.errors, 'output').join('; ')}`,
    );
  }
}
