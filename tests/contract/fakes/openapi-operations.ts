// Indexes the operations of one or more OpenAPI 3.0 documents and finds the one an HTTP request addresses.
import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { isJsonObject, type JsonObject } from './openapi-schema';

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One document served by a fake; several can share a server (HubSpot ships one document per object type). */
export interface MountedDocument {
  /** Qualifies operationIds that repeat across documents: `contacts:Basic_create`. */
  name: string;
  /** Its paths are served below the path of its first server URL (`/v1.0` for Graph, `/openai` for Azure OpenAI). */
  document: JsonObject;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: unknown;
}

/** What satisfies one security scheme; an alternative lists the schemes that must all be present. */
export type Credential = { kind: 'bearer' } | { kind: 'basic' } | { kind: 'apiKey'; in: 'header' | 'query'; name: string };

export interface Operation {
  /** `<document>:<operationId>`, unique on the server. */
  readonly key: string;
  readonly documentName: string;
  readonly operationId: string | undefined;
  readonly method: string;
  readonly pathTemplate: string;
  readonly parameters: Parameter[];
  readonly requestBody: JsonObject | undefined;
  /** Keyed by status as declared but upper-cased: '201', '2XX', 'DEFAULT'. */
  readonly responses: Record<string, JsonObject>;
  /** Empty means no credentials are needed; otherwise any one alternative must be satisfied. */
  readonly security: Credential[][];
}

interface Route {
  operation: Operation;
  pattern: RegExp;
  parameterNames: string[];
  /** More literal characters means a more specific template: `/contacts/search` wins over `/contacts/{contactId}`. */
  literalLength: number;
}

export type RouteMatch =
  | { kind: 'operation'; operation: Operation; pathParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'unknown-path' };

export function readOpenApiDocument(filePath: string): JsonObject {
  const text = readFileSync(filePath, 'utf8');
  const parsed: unknown = /\.ya?ml$/i.test(filePath) ? loadYaml(text) : JSON.parse(text);
  if (!isJsonObject(parsed) || typeof parsed.openapi !== 'string' || !parsed.openapi.startsWith('3.0')) {
    throw new Error(`${filePath} is not an OpenAPI 3.0 document`);
  }
  return parsed;
}

export class OperationIndex {
  private readonly routes: Route[] = [];

  constructor(readonly documents: MountedDocument[]) {
    const names = new Set<string>();
    for (const mounted of documents) {
      if (names.has(mounted.name)) throw new Error(`Two mounted documents are named "${mounted.name}"`);
      names.add(mounted.name);
      this.routes.push(...routesOf(mounted));
    }
  }

  get operations(): Operation[] {
    return this.routes.map((route) => route.operation);
  }

  match(method: string, pathname: string): RouteMatch {
    const candidates = this.routes
      .map((route) => ({ route, found: route.pattern.exec(pathname) }))
      .filter((candidate): candidate is { route: Route; found: RegExpExecArray } => candidate.found !== null)
      .sort((a, b) => b.route.literalLength - a.route.literalLength);
    const chosen = candidates.find((candidate) => candidate.route.operation.method === method);
    if (!chosen) {
      return candidates.length > 0
        ? { kind: 'method-not-allowed', allowed: [...new Set(candidates.map((candidate) => candidate.route.operation.method))] }
        : { kind: 'unknown-path' };
    }
    const pathParams: Record<string, string> = {};
    chosen.route.parameterNames.forEach((name, index) => {
      pathParams[name] = decodedSegment(chosen.found[index + 1] ?? '');
    });
    return { kind: 'operation', operation: chosen.route.operation, pathParams };
  }

  /** Finds an operation by `operationId`, `<document>:<operationId>` or `METHOD /path/template`. */
  resolve(reference: string): Operation {
    const byTemplate = /^([A-Za-z]+) (\/.*)$/.exec(reference);
    const found = byTemplate
      ? this.operations.filter((op) => op.method === byTemplate[1]?.toUpperCase() && op.pathTemplate === byTemplate[2])
      : this.operations.filter((op) => op.key === reference || op.operationId === reference);
    if (found.length === 1 && found[0]) return found[0];
    if (found.length === 0) throw new Error(`No operation "${reference}" in the mounted documents`);
    throw new Error(`"${reference}" is ambiguous; use one of ${found.map((op) => op.key).join(', ')}`);
  }
}

/** A malformed escape is left as sent; the handler then simply finds nothing under that id. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function routesOf(mounted: MountedDocument): Route[] {
  const { document, name } = mounted;
  const basePath = serverPath(document).replace(/\/$/, '');
  const paths = isJsonObject(document.paths) ? document.paths : {};
  const routes: Route[] = [];
  for (const [template, pathItem] of Object.entries(paths)) {
    if (!isJsonObject(pathItem)) continue;
    const sharedParameters = parametersOf(document, pathItem.parameters);
    const { pattern, parameterNames, literalLength } = compileTemplate(basePath, template);
    for (const method of httpMethods) {
      const operation = pathItem[method];
      if (!isJsonObject(operation)) continue;
      const operationId = typeof operation.operationId === 'string' ? operation.operationId : undefined;
      const own = parametersOf(document, operation.parameters);
      const requestBody = operation.requestBody === undefined ? undefined : resolveComponent(document, operation.requestBody);
      routes.push({
        pattern,
        parameterNames,
        literalLength,
        operation: {
          key: `${name}:${operationId ?? `${method.toUpperCase()} ${template}`}`,
          documentName: name,
          operationId,
          method: method.toUpperCase(),
          pathTemplate: template,
          // Operation-level parameters override path-level ones with the same name and location.
          parameters: [...sharedParameters.filter((shared) => !own.some((p) => p.name === shared.name && p.in === shared.in)), ...own],
          requestBody,
          responses: responsesOf(document, operation.responses),
          security: securityOf(document, operation.security ?? document.security),
        },
      });
    }
  }
  return routes;
}

function serverPath(document: JsonObject): string {
  const server = Array.isArray(document.servers) ? document.servers[0] : undefined;
  if (!isJsonObject(server) || typeof server.url !== 'string') return '';
  const variables = isJsonObject(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^}]+)\}/g, (_whole, variable: string) => {
    const definition = variables[variable];
    return isJsonObject(definition) && typeof definition.default === 'string' ? definition.default : variable;
  });
  return url.startsWith('/') ? url : new URL(url).pathname;
}

function compileTemplate(basePath: string, template: string): Omit<Route, 'operation'> {
  const parameterNames: string[] = [];
  let literalLength = 0;
  const source = `${basePath}${template}`
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const parameter = /^\{([^}]+)\}$/.exec(part);
      if (parameter?.[1]) {
        parameterNames.push(parameter[1]);
        return '([^/]+)';
      }
      literalLength += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), parameterNames, literalLength };
}

/** Follows local `#/components/...` references (parameters, request bodies, responses may be shared). */
export function resolveComponent(document: JsonObject, value: unknown): JsonObject {
  let current = value;
  for (let hops = 0; isJsonObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 20 || !current.$ref.startsWith('#/')) throw new Error(`Cannot resolve ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, segment) => (isJsonObject(node) ? node[segment] : undefined), document);
  }
  if (!isJsonObject(current)) throw new Error(`Reference does not resolve to an object: ${JSON.stringify(value)}`);
  return current;
}

function parametersOf(document: JsonObject, declared: unknown): Parameter[] {
  if (!Array.isArray(declared)) return [];
  return declared.map((entry) => {
    const parameter = resolveComponent(document, entry);
    const location = parameter.in;
    if (typeof parameter.name !== 'string' || (location !== 'path' && location !== 'query' && location !== 'header' && location !== 'cookie')) {
      throw new Error(`Malformed parameter ${JSON.stringify(parameter)}`);
    }
    return {
      name: parameter.name,
      in: location,
      required: parameter.required === true || location === 'path',
      schema: parameter.schema ?? {},
    };
  });
}

function responsesOf(document: JsonObject, declared: unknown): Record<string, JsonObject> {
  if (!isJsonObject(declared)) return {};
  return Object.fromEntries(Object.entries(declared).map(([status, response]) => [status.toUpperCase(), resolveComponent(document, response)]));
}

function securityOf(document: JsonObject, requirements: unknown): Credential[][] {
  if (!Array.isArray(requirements)) return [];
  const components = isJsonObject(document.components) ? document.components : {};
  const schemes = isJsonObject(components.securitySchemes) ? components.securitySchemes : {};
  return requirements.filter(isJsonObject).map((requirement) =>
    Object.keys(requirement).map((schemeName): Credential => {
      const scheme = schemes[schemeName];
      if (!isJsonObject(scheme)) throw new Error(`Security scheme "${schemeName}" is not defined`);
      if (scheme.type === 'apiKey' && (scheme.in === 'header' || scheme.in === 'query') && typeof scheme.name === 'string') {
        return { kind: 'apiKey', in: scheme.in, name: scheme.name };
      }
      if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'basic') return { kind: 'basic' };
      // oauth2, openIdConnect and http bearer all present an access token as a bearer token.
      return { kind: 'bearer' };
    }),
  );
}
