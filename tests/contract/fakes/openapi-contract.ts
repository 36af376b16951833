// Checks one request or response against the operation it addresses: parameters, credentials, media type, body schema.
import type { ValidateFunction } from 'ajv';
import type { Credential, Operation, OperationIndex, Parameter } from './openapi-operations';
import { describeErrors, isJsonObject, OpenApiSchemas, type JsonObject, type SchemaDirection } from './openapi-schema';

export interface IncomingRequest {
  query: URLSearchParams;
  /** Lower-case names, as Node delivers them. */
  headers: Record<string, string | undefined>;
  pathParams: Record<string, string>;
  rawBody: string;
}

export interface RequestVerdict {
  /** Missing or malformed credentials: the service would answer 401 before looking at anything else. */
  unauthorized: string[];
  problems: string[];
  /** The body as JSON when it parsed, else the raw text (undefined when empty). */
  body: unknown;
}

// Header parameters with these names are ignored by OpenAPI; they are checked through the media type and security.
const headersOutsideParameters = new Set(['accept', 'content-type', 'authorization']);

/** Validates calls against the mounted documents; validators compile on first use and are kept. */
export class ContractChecks {
  private readonly schemas = new OpenApiSchemas();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(index: OperationIndex) {
    for (const { name, document } of index.documents) {
      const components = isJsonObject(document.components) ? document.components : {};
      this.schemas.register(name, isJsonObject(components.schemas) ? components.schemas : {});
    }
  }

  checkRequest(operation: Operation, request: IncomingRequest): RequestVerdict {
    const body = parseBody(request.rawBody, request.headers['content-type']);
    return {
      unauthorized: credentialProblems(operation.security, request),
      problems: [...this.parameterProblems(operation, request), ...this.requestBodyProblems(operation, request, body)],
      body: body?.value,
    };
  }

  checkResponse(operation: Operation, status: number, body: unknown): string[] {
    const declared = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`] ?? operation.responses.DEFAULT;
    if (!declared) return [`status ${status} is not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
    const media = isJsonObject(declared.content) ? jsonMediaOf(declared.content) : undefined;
    if (!media) return body === undefined ? [] : [`status ${status} declares no JSON body, but one was sent`];
    if (body === undefined) return [`status ${status} declares a body, but none was sent`];
    if (media.schema === undefined) return [];
    const validate = this.validator(`${operation.key} response ${status}`, operation, 'response', media.schema, 'body');
    return validate(body) ? [] : describeErrors(validate.errors, 'response body');
  }

  private parameterProblems(operation: Operation, request: IncomingRequest): string[] {
    const problems: string[] = [];
    const declaredQuery = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new Set(request.query.keys())) {
      if (!declaredQuery.has(name)) problems.push(`query parameter "${name}" is not declared`);
    }
    const locations = [
      { location: 'path', values: (p: Parameter) => request.pathParams[p.name] },
      { location: 'query', values: (p: Parameter) => queryValue(p, request.query) },
      { location: 'header', values: (p: Parameter) => request.headers[p.name.toLowerCase()] },
    ] as const;
    for (const { location, values } of locations) {
      const declared = operation.parameters.filter(
        (p) => p.in === location && !(location === 'header' && headersOutsideParameters.has(p.name.toLowerCase())),
      );
      if (declared.length === 0) continue;
      const given = Object.fromEntries(
        declared.flatMap((p) => {
          const value = values(p);
          return value === undefined ? [] : [[p.name, value]];
        }),
      );
      const schema = {
        type: 'object',
        properties: Object.fromEntries(declared.map((p) => [p.name, p.schema])),
        required: declared.filter((p) => p.required).map((p) => p.name),
      };
      const validate = this.validator(`${operation.key} ${location}`, operation, 'request', schema, 'parameters');
      if (!validate(given)) problems.push(...describeErrors(validate.errors, location));
    }
    return problems;
  }

  private requestBodyProblems(operation: Operation, request: IncomingRequest, body: ParsedBody | undefined): string[] {
    const declared = operation.requestBody;
    if (!declared) return body === undefined ? [] : ['the operation takes no request body, but one was sent'];
    if (body === undefined) return declared.required === true ? ['a request body is required'] : [];
    const content = isJsonObject(declared.content) ? declared.content : {};
    const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (!mediaType) return [`Content-Type is missing (declared: ${Object.keys(content).join(', ')})`];
    const media = mediaFor(content, mediaType);
    if (!media) return [`Content-Type ${mediaType} is not declared (declared: ${Object.keys(content).join(', ')})`];
    if (!isJsonMediaType(mediaType) || media.schema === undefined) return [];
    if (body.malformedJson) return ['the request body is not valid JSON'];
    const validate = this.validator(`${operation.key} request ${mediaType}`, operation, 'request', media.schema, 'body');
    return validate(body.value) ? [] : describeErrors(validate.errors, 'body');
  }

  private validator(
    cacheKey: string,
    operation: Operation,
    direction: SchemaDirection,
    schema: unknown,
    target: 'body' | 'parameters',
  ): ValidateFunction {
    const cached = this.validators.get(cacheKey);
    if (cached) return cached;
    const compiled = this.schemas.compile(operation.documentName, direction, schema, target);
    this.validators.set(cacheKey, compiled);
    return compiled;
  }
}

interface ParsedBody {
  value: unknown;
  malformedJson: boolean;
}

function parseBody(rawBody: string, contentType: string | undefined): ParsedBody | undefined {
  if (rawBody.length === 0) return undefined;
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!isJsonMediaType(mediaType)) return { value: rawBody, malformedJson: false };
  try {
    return { value: JSON.parse(rawBody) as unknown, malformedJson: false };
  } catch {
    return { value: rawBody, malformedJson: true };
  }
}

/** Arrays are accepted both repeated (`a=1&a=2`) and comma-separated (`a=1,2`): services accept both. */
function queryValue(parameter: Parameter, query: URLSearchParams): string | string[] | undefined {
  const values = query.getAll(parameter.name);
  if (values.length === 0) return undefined;
  const isArray = isJsonObject(parameter.schema) && parameter.schema.type === 'array';
  if (isArray) return values.flatMap((value) => value.split(','));
  return values.length === 1 ? values[0] : values;
}

function credentialProblems(security: Credential[][], request: IncomingRequest): string[] {
  if (security.length === 0) return [];
  const attempts = security.map((alternative) => alternative.flatMap((credential) => missingCredential(credential, request)));
  if (attempts.some((missing) => missing.length === 0)) return [];
  return [`no accepted credentials: ${attempts.map((missing) => missing.join(' and ')).join('; or ')}`];
}

function missingCredential(credential: Credential, request: IncomingRequest): string[] {
  const authorization = request.headers.authorization ?? '';
  switch (credential.kind) {
    case 'bearer':
      return /^Bearer \S+$/i.test(authorization) ? [] : ['Authorization: Bearer <token> is missing'];
    case 'basic':
      return /^Basic \S+$/i.test(authorization) ? [] : ['Authorization: Basic <credentials> is missing'];
    case 'apiKey': {
      const value = credential.in === 'header' ? request.headers[credential.name.toLowerCase()] : request.query.get(credential.name);
      return value ? [] : [`${credential.in} "${credential.name}" is missing`];
    }
  }
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function mediaFor(content: JsonObject, mediaType: string): JsonObject | undefined {
  const candidates = [mediaType, `${mediaType.split('/')[0]}/*`, '*/*'];
  const key = Object.keys(content).find((declared) => candidates.includes(declared.toLowerCase()));
  const media = key === undefined ? undefined : content[key];
  return isJsonObject(media) ? media : undefined;
}

function jsonMediaOf(content: JsonObject): JsonObject | undefined {
  const key = Object.keys(content).find((declared) => isJsonMediaType(declared.toLowerCase()) || declared === '*/*');
  const media = key === undefined ? undefined : content[key];
  return isJsonObject(media) ? media : undefined;
}
