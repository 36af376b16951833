import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileOpenApiContract, startOpenApiFake, type OpenApiFake } from './openapi-fake';
import { isJsonObject } from './openapi-schema';

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (body: unknown) => ({ 'application/json': { schema: body } });
const errorResponse = { description: 'error', content: json(schema('Error')) };

/** A small document that uses every OpenAPI 3.0 feature the fake translates for Ajv. */
const petStore = {
  openapi: '3.0.3',
  servers: [{ url: 'https://pets.example.test/v2' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
      Entity: { type: 'object', properties: { id: { type: 'string', readOnly: true } }, additionalProperties: false },
      Pet: {
        allOf: [
          schema('Entity'),
          {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string' },
              tag: { type: 'string', nullable: true },
              owner: { ...schema('Owner'), nullable: true },
              microchip: { type: 'string', writeOnly: true },
            },
            additionalProperties: false,
          },
        ],
      },
      Owner: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      Animal: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' } },
        discriminator: { propertyName: 'kind', mapping: { dog: '#/components/schemas/Dog' } },
      },
      Dog: { allOf: [schema('Animal'), { type: 'object', required: ['barks'], properties: { barks: { type: 'boolean' } } }] },
    },
  },
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', maximum: 100 } }],
        responses: { 200: { description: 'ok', content: json({ type: 'array', items: schema('Pet') }) }, default: errorResponse },
      },
      post: {
        operationId: 'createPet',
        requestBody: { required: true, content: json(schema('Pet')) },
        responses: { 201: { description: 'created', content: json(schema('Pet')) }, default: errorResponse },
      },
    },
    '/pets/mine': {
      get: { operationId: 'listMyPets', responses: { 200: { description: 'ok', content: json({ type: 'array', items: schema('Pet') }) } } },
    },
    '/pets/{petId}': {
      get: {
        operationId: 'getPet',
        parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { 200: { description: 'ok', content: json(schema('Pet')) }, default: errorResponse },
      },
    },
    '/animals': {
      post: {
        operationId: 'addAnimal',
        requestBody: { required: true, content: json(schema('Animal')) },
        responses: { '2XX': { description: 'accepted' }, default: errorResponse },
      },
    },
  },
};

const petStoreContract = compileOpenApiContract([{ name: 'pets', document: petStore }]);
const bearer = { authorization: 'Bearer test-token', 'content-type': 'application/json' };

describe('OpenAPI fake', () => {
  let fake: OpenApiFake;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = bearer) =>
    fetch(`${fake.url}/v2${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeEach(async () => {
    fake = await startOpenApiFake({
      contract: petStoreContract,
      errorBody: (_status, message) => ({ message }),
      handlers: {
        createPet: ({ body }) => {
          const { microchip: _writeOnly, ...pet } = isJsonObject(body) ? body : {};
          return { status: 201, body: { ...pet, id: 'pet-1' } };
        },
        listPets: () => ({ status: 200, body: [{ id: 'pet-1', name: 'Rex', tag: null }] }),
        listMyPets: () => ({ status: 200, body: [] }),
        addAnimal: () => ({ status: 202 }),
      },
    });
  });
  afterEach(() => fake.close());

  it('serves a spec-valid call and records it with the credential value redacted', async () => {
    const response = await call('POST', '/pets', { name: 'Rex', tag: null, owner: null, microchip: 'A1' });

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 'pet-1', name: 'Rex', tag: null, owner: null });
    expect(fake.violations).toEqual([]);
    expect(fake.requestsTo('createPet')).toEqual([
      expect.objectContaining({
        operation: 'pets:createPet',
        path: '/v2/pets',
        body: { name: 'Rex', tag: null, owner: null, microchip: 'A1' },
      }),
    ]);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('answers 400 and records each reason when the body breaks the schema', async () => {
    const response = await call('POST', '/pets', { name: 42, owner: { nickname: 'Al' } });

    expect(response.status).toBe(400);
    expect(fake.violations).toEqual([
      expect.objectContaining({
        kind: 'request',
        operation: 'pets:createPet',
        problems: expect.arrayContaining(['body/name must be string', "body/owner must have required property 'name'"]),
      }),
    ]);
  });

  it('validates an allOf subtype as one type: inherited and own properties count, anything else is rejected', async () => {
    await call('POST', '/pets', { name: 'Rex', colour: 'brown' });

    expect(fake.violations.flatMap((violation) => violation.problems)).toEqual(['body must NOT have additional properties (colour)']);
  });

  it('rejects a readOnly property in a request and a writeOnly property in a response', async () => {
    fake.handle('listPets', () => ({ status: 200, body: [{ id: 'pet-1', name: 'Rex', microchip: 'A1' }] }));

    await call('POST', '/pets', { id: 'chosen-by-client', name: 'Rex' });
    await call('GET', '/pets?limit=5');

    expect(fake.violations.map(({ kind, problems }) => ({ kind, problems }))).toEqual([
      { kind: 'request', problems: ['body/id must not be sent this way (readOnly/writeOnly)'] },
      { kind: 'response', problems: ['response body/0/microchip must not be sent this way (readOnly/writeOnly)'] },
    ]);
  });

  it('picks the schema named by the discriminator and falls back to the base type for other values', async () => {
    await call('POST', '/animals', { kind: 'dog' });
    await call('POST', '/animals', { kind: 'cat' });

    expect(fake.violations).toEqual([expect.objectContaining({ problems: ["body must have required property 'barks'"] })]);
  });

  it('checks query and path parameters in their declared types and refuses undeclared ones', async () => {
    expect((await call('GET', '/pets?limit=10')).status).toBe(200);
    expect((await call('GET', '/pets?limit=500')).status).toBe(400);
    expect((await call('GET', '/pets')).status).toBe(400);
    expect((await call('GET', '/pets?limit=10&sort=name')).status).toBe(400);
    expect((await call('GET', '/pets/rex')).status).toBe(400);

    expect(fake.violations.flatMap((violation) => violation.problems)).toEqual([
      'query/limit must be <= 100',
      "query must have required property 'limit'",
      'query parameter "sort" is not declared',
      'path/petId must be integer',
    ]);
  });

  it('routes a literal path segment before a template parameter', async () => {
    expect((await call('GET', '/pets/mine')).status).toBe(200);
    expect(fake.requests[0]?.operation).toBe('pets:listMyPets');
  });

  it('answers 401 without a bearer token, 404 off the spec, 405 for an undeclared method and 501 without a handler', async () => {
    expect((await call('GET', '/pets?limit=1', undefined, {})).status).toBe(401);
    expect((await call('GET', '/owners')).status).toBe(404);
    expect((await call('DELETE', '/pets')).status).toBe(405);
    expect((await call('GET', '/pets/7')).status).toBe(501);

    expect(fake.violations.map((violation) => violation.kind)).toEqual(['request', 'unknown-path', 'method-not-allowed', 'unhandled']);
  });

  it('delivers but records a response the spec does not allow', async () => {
    fake.handle('addAnimal', () => ({ status: 202, body: { queued: true } }));
    fake.handle('GET /pets', () => ({ status: 200, body: [{ name: 7 }] }));

    expect((await call('POST', '/animals', { kind: 'cat' })).status).toBe(202);
    expect((await call('GET', '/pets?limit=1')).status).toBe(200);

    expect(fake.violations.map(({ kind, problems }) => ({ kind, problems }))).toEqual([
      { kind: 'response', problems: ['status 202 declares no JSON body, but one was sent'] },
      { kind: 'response', problems: ['response body/0/name must be string'] },
    ]);
  });

  it('injects queued faults into the next calls only, with Retry-After and a spec-valid error body', async () => {
    fake.failNext('listPets', { status: 429, retryAfterSeconds: 2 });
    fake.failNext('listPets', { status: 503 });

    const throttled = await call('GET', '/pets?limit=1');
    const unavailable = await call('GET', '/pets?limit=1');
    const served = await call('GET', '/pets?limit=1');

    expect([throttled.status, unavailable.status, served.status]).toEqual([429, 503, 200]);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(await throttled.json()).toEqual({ message: 'injected fault: HTTP 429' });
    expect(fake.violations).toEqual([]);
  });

  it('stalls a call for hangMs so a client timeout fires, and still closes promptly', async () => {
    fake.failNext('listPets', { hangMs: 10_000 });

    const stalled = fetch(`${fake.url}/v2/pets?limit=1`, { headers: bearer, signal: AbortSignal.timeout(100) });

    await expect(stalled).rejects.toThrow(/timeout|aborted/i);
  });

  it('refuses to register a handler for an operation the spec does not have', () => {
    expect(() => fake.handle('deletePet', () => ({ status: 204 }))).toThrow('No operation "deletePet"');
  });
});
