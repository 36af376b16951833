// HubSpot CRM v3 objects and v4 associations served by the OpenAPI fake, over an in-memory CRM.
import { randomUUID } from 'node:crypto';
import { AssociationTypes } from '@hubspot/api-client';
import { z } from 'zod/v4';
import { compileOpenApiContract, startOpenApiFake, type FakeHandler, type FakeRequest, type OpenApiContract, type OpenApiFake } from './openapi-fake';
import type { JsonObject } from './openapi-schema';
import { readSharedSpec } from './shared-specs';

/** The object types the fake serves, with HubSpot's object type ids (`0-1` is contacts) and path parameter names. */
const objectTypes = {
  contacts: { typeId: '0-1', singular: 'contact' },
  companies: { typeId: '0-2', singular: 'company' },
  deals: { typeId: '0-3', singular: 'deal' },
  tasks: { typeId: '0-27', singular: 'task' },
  notes: { typeId: '0-46', singular: 'note' },
  meetings: { typeId: '0-47', singular: 'meeting' },
  emails: { typeId: '0-49', singular: 'email' },
} as const;

export type CrmObjectType = keyof typeof objectTypes;

export interface CrmRecord {
  id: string;
  objectType: CrmObjectType;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface CrmAssociation {
  fromType: CrmObjectType;
  fromId: string;
  toType: CrmObjectType;
  toId: string;
  types: { associationCategory: string; associationTypeId: number }[];
}

export interface HubSpotFake extends OpenApiFake {
  /** Live views of the CRM state, for arranging and asserting. */
  records(objectType: CrmObjectType): CrmRecord[];
  readonly associations: CrmAssociation[];
  /** Adds a HubSpot user who can own records (CRM Owners API); returns the owner id to put in `hubspot_owner_id`. */
  addOwner(owner: { email: string; firstName?: string; lastName?: string }): string;
}

/** Properties HubSpot keeps unique per portal; creating a second record with the same value is a 409. */
const uniqueProperty: Partial<Record<CrmObjectType, string>> = { contacts: 'email' };

// Compiled once per test process and shared by every fake: validators are pure.
let hubSpotContract: OpenApiContract | undefined;
const hubSpotApi = () =>
  (hubSpotContract ??= compileOpenApiContract([
    ...Object.keys(objectTypes).map((type) => ({ name: type, document: readSharedSpec(`hubspot/crm-${type}-v3.openapi.json`) })),
    { name: 'associations', document: readSharedSpec('hubspot/crm-associations-v4.openapi.json') },
    { name: 'owners', document: readSharedSpec('hubspot/crm-owners-v3.openapi.json') },
  ]));

export async function startHubSpotFake(): Promise<HubSpotFake> {
  const crm = new Crm();
  const fake = await startOpenApiFake({ contract: hubSpotApi(), errorBody: hubSpotError });
  for (const objectType of objectTypeNames) {
    for (const [operationId, handler] of Object.entries(objectHandlers(crm, objectType))) fake.handle(`${objectType}:${operationId}`, handler);
  }
  for (const [operationId, handler] of Object.entries(associationHandlers(crm))) fake.handle(`associations:${operationId}`, handler);
  const owners = new Map<string, JsonObject>();
  fake.handle('owners:Owners_getById', (request) => {
    const id = request.pathParams.ownerId ?? '';
    const byUserId = singleQuery(request, 'idProperty') === 'userId';
    const owner = [...owners.values()].find((candidate) => String(byUserId ? candidate.userId : candidate.id) === id);
    return owner ? { status: 200, body: owner } : { status: 404, body: hubSpotError(404, `No owner with ${byUserId ? 'userId' : 'id'} ${id}`) };
  });
  const addOwner = (owner: { email: string; firstName?: string; lastName?: string }) => {
    const id = String(70_000_000 + owners.size + 1);
    const now = new Date().toISOString();
    owners.set(id, { id, userId: 9_000 + owners.size + 1, type: 'PERSON', archived: false, createdAt: now, updatedAt: now, teams: [], ...owner });
    return id;
  };
  return Object.assign(fake, { records: (objectType: CrmObjectType) => crm.recordsOf(objectType), associations: crm.associations, addOwner });
}

export function hubSpotError(status: number, message: string): JsonObject {
  const categories: Record<number, string> = {
    400: 'VALIDATION_ERROR',
    401: 'INVALID_AUTHENTICATION',
    403: 'MISSING_SCOPES',
    404: 'OBJECT_NOT_FOUND',
    409: 'CONFLICT',
    429: 'RATE_LIMITS',
  };
  return {
    status: 'error',
    message,
    correlationId: randomUUID(),
    category: categories[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR'),
  };
}

const objectTypeNames = Object.keys(objectTypes) as CrmObjectType[];

class CrmFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

class Crm {
  private readonly byId = new Map<string, CrmRecord>();
  readonly associations: CrmAssociation[] = [];
  // HubSpot ids are numeric strings, unique per object type; here they are unique across types, so an id alone names its record.
  private nextId = 1001;

  recordsOf(objectType: CrmObjectType): CrmRecord[] {
    return [...this.byId.values()].filter((record) => record.objectType === objectType);
  }

  create(objectType: CrmObjectType, properties: Record<string, string>): CrmRecord {
    this.assertUnique(objectType, properties);
    const id = String(this.nextId++);
    const now = new Date().toISOString();
    const record: CrmRecord = {
      id,
      objectType,
      properties: { ...properties, hs_object_id: id, createdate: now, lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(id, record);
    return record;
  }

  update(record: CrmRecord, properties: Record<string, string>): CrmRecord {
    this.assertUnique(record.objectType, properties, record.id);
    const now = new Date().toISOString();
    Object.assign(record.properties, properties, { lastmodifieddate: now });
    record.updatedAt = now;
    return record;
  }

  archive(record: CrmRecord): void {
    this.byId.delete(record.id);
    const remaining = this.associations.filter((link) => link.fromId !== record.id && link.toId !== record.id);
    this.associations.splice(0, this.associations.length, ...remaining);
  }

  /** `idProperty` looks a record up by a unique property (`email`) instead of its id. */
  find(objectType: CrmObjectType, id: string, idProperty?: string): CrmRecord | undefined {
    if (!idProperty || idProperty === 'hs_object_id') {
      const record = this.byId.get(id);
      return record?.objectType === objectType ? record : undefined;
    }
    return this.recordsOf(objectType).find((record) => sameValue(record.properties[idProperty], id));
  }

  get(objectType: CrmObjectType, id: string, idProperty?: string): CrmRecord {
    const record = this.find(objectType, id, idProperty);
    if (!record) throw new CrmFailure(404, `No ${objectTypes[objectType].singular} with ${idProperty ?? 'id'} ${id}`);
    return record;
  }

  associate(from: CrmRecord, to: CrmRecord, types: CrmAssociation['types']): void {
    for (const type of types) assertDefinedBetween(type, from.objectType, to.objectType);
    const existing = this.associations.find((link) => link.fromId === from.id && link.toId === to.id);
    if (existing) {
      existing.types = [
        ...existing.types,
        ...types.filter((type) => !existing.types.some((known) => known.associationTypeId === type.associationTypeId)),
      ];
      return;
    }
    this.associations.push({ fromType: from.objectType, fromId: from.id, toType: to.objectType, toId: to.id, types });
  }

  /** Associations are visible from both ends; seen from the far end, HubSpot-defined types read in reverse (279 -> 280). */
  associationsOf(record: CrmRecord, toType: CrmObjectType): { toId: string; types: CrmAssociation['types'] }[] {
    return this.associations.flatMap((link) => {
      if (link.fromId === record.id && link.toType === toType) return [{ toId: link.toId, types: link.types }];
      if (link.toId === record.id && link.fromType === toType) return [{ toId: link.fromId, types: link.types.map(reversed) }];
      return [];
    });
  }

  /** The record an association input points at; ids are unique across types here, so the id names the type. */
  target(id: string): CrmRecord {
    const record = this.byId.get(id);
    if (!record) throw new CrmFailure(400, `Association target ${id} does not exist`);
    return record;
  }

  private assertUnique(objectType: CrmObjectType, properties: Record<string, string>, exceptId?: string): void {
    const property = uniqueProperty[objectType];
    const value = property ? properties[property] : undefined;
    if (!property || value === undefined) return;
    const clash = this.recordsOf(objectType).find((record) => record.id !== exceptId && sameValue(record.properties[property], value));
    if (clash) throw new CrmFailure(409, `${capitalized(objectTypes[objectType].singular)} already exists. Existing ID: ${clash.id}`);
  }
}

/** HubSpot-defined association type ids by direction, read from the SDK's table (`contactToCompany = 279`). */
const definedAssociationTypes = Object.entries(AssociationTypes).flatMap(([name, id]) => {
  const parts = /^(primary)?([A-Za-z][a-z]+)To([A-Z][a-z]+)$/.exec(name);
  if (typeof id !== 'number' || !parts?.[2] || !parts[3]) return [];
  return [{ id, primary: parts[1] !== undefined, from: parts[2].toLowerCase(), to: parts[3].toLowerCase() }];
});

function assertDefinedBetween(type: CrmAssociation['types'][number], from: CrmObjectType, to: CrmObjectType): void {
  if (type.associationCategory !== 'HUBSPOT_DEFINED') return;
  const defined = definedAssociationTypes.find((candidate) => candidate.id === type.associationTypeId);
  if (defined?.from !== objectTypes[from].singular || defined.to !== objectTypes[to].singular) {
    throw new CrmFailure(400, `association type ${type.associationTypeId} is not defined from ${from} to ${to}`);
  }
}

function reversed(type: CrmAssociation['types'][number]): CrmAssociation['types'][number] {
  const defined = definedAssociationTypes.find((candidate) => candidate.id === type.associationTypeId);
  const reverse = definedAssociationTypes.find(
    (candidate) => defined && candidate.from === defined.to && candidate.to === defined.from && candidate.primary === defined.primary,
  );
  return type.associationCategory === 'HUBSPOT_DEFINED' && reverse ? { ...type, associationTypeId: reverse.id } : type;
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function sameValue(stored: string | undefined, given: string): boolean {
  return stored !== undefined && stored.toLowerCase() === given.toLowerCase();
}

// ---- Request shapes the handlers read (the fake has already checked them against the spec) ---------------------

const associationSpec = z.object({ associationCategory: z.string(), associationTypeId: z.number() });
const associationInputs = z.array(z.object({ to: z.object({ id: z.string() }), types: z.array(associationSpec) })).optional();
const propertiesInput = z.record(z.string(), z.string());
const createInput = z.object({ properties: propertiesInput, associations: associationInputs });
const batchCreateInput = z.object({ inputs: z.array(createInput) });
const batchUpsertInput = z.object({
  inputs: z.array(z.object({ id: z.string(), idProperty: z.string().optional(), properties: propertiesInput })),
});
const filter = z.object({
  propertyName: z.string(),
  operator: z.string(),
  value: z.string().optional(),
  highValue: z.string().optional(),
  values: z.array(z.string()).optional(),
});
const searchInput = z.object({
  query: z.string().optional(),
  limit: z.number().optional(),
  after: z.string().optional(),
  sorts: z.array(z.string()).optional(),
  properties: z.array(z.string()).optional(),
  filterGroups: z.array(z.object({ filters: z.array(filter) })).optional(),
});
const batchReadInput = z.object({
  inputs: z.array(z.object({ id: z.string() })),
  idProperty: z.string().optional(),
  properties: z.array(z.string()).optional(),
});
const batchAssociateInput = z.object({
  inputs: z.array(z.object({ from: z.object({ id: z.string() }), to: z.object({ id: z.string() }), types: z.array(associationSpec) })),
});

/** Turns a CrmFailure into the error HubSpot would answer; anything else is a bug in the fake and stays a 500. */
function answering(handler: FakeHandler): FakeHandler {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof CrmFailure) return { status: error.status, body: hubSpotError(error.status, error.message) };
      throw error;
    }
  };
}

function objectHandlers(crm: Crm, objectType: CrmObjectType): Record<string, FakeHandler> {
  const idOf = (request: FakeRequest) => request.pathParams[`${objectTypes[objectType].singular}Id`] ?? '';
  const idProperty = (request: FakeRequest) => singleQuery(request, 'idProperty');
  const createWithAssociations = (input: z.infer<typeof createInput>) => {
    const targets = (input.associations ?? []).map((link) => ({ to: crm.target(link.to.id), types: link.types }));
    // HubSpot refuses the whole create when an association is invalid, so check before anything is stored.
    targets.forEach((link) => link.types.forEach((type) => assertDefinedBetween(type, objectType, link.to.objectType)));
    const record = crm.create(objectType, input.properties);
    targets.forEach((link) => crm.associate(record, link.to, link.types));
    return record;
  };
  const batch = (results: JsonObject[]) => {
    const now = new Date().toISOString();
    return { status: 'COMPLETE', results, startedAt: now, completedAt: now };
  };

  const handlers: Record<string, FakeHandler> = {
    Basic_create: (request) => ({ status: 201, body: publicObject(createWithAssociations(createInput.parse(request.body))) }),
    Basic_getById: (request) => {
      const record = crm.get(objectType, idOf(request), idProperty(request));
      const wanted = listQuery(request, 'associations').map(objectTypeNamed);
      const associations = Object.fromEntries(
        wanted.map((toType) => {
          const results = crm.associationsOf(record, toType).map((link) => ({ id: link.toId, type: associationName(objectType, toType) }));
          return [toType, { results }];
        }),
      );
      const selected = publicObject(record, listQuery(request, 'properties'));
      return { status: 200, body: wanted.length > 0 ? { ...selected, associations } : selected };
    },
    Basic_update: (request) => {
      const record = crm.get(objectType, idOf(request), idProperty(request));
      return {
        status: 200,
        body: publicObject(crm.update(record, z.object({ properties: propertiesInput }).parse(request.body).properties)),
      };
    },
    Basic_archive: (request) => {
      const record = crm.find(objectType, idOf(request));
      if (record) crm.archive(record);
      // Archiving is idempotent in HubSpot: an unknown id is still a 204.
      return { status: 204 };
    },
    Basic_getPage: (request) => {
      const page = pageOf(crm.recordsOf(objectType), Number(singleQuery(request, 'limit') ?? 10), singleQuery(request, 'after'));
      return {
        status: 200,
        body: { results: page.items.map((record) => publicObject(record, listQuery(request, 'properties'))), ...page.paging },
      };
    },
    Batch_create: (request) => {
      const records = batchCreateInput.parse(request.body).inputs.map(createWithAssociations);
      return { status: 201, body: batch(records.map((record) => publicObject(record))) };
    },
    Batch_upsert: (request) => {
      const results = batchUpsertInput.parse(request.body).inputs.map((input) => {
        const existing = crm.find(objectType, input.id, input.idProperty);
        if (existing) return { ...publicObject(crm.update(existing, input.properties)), new: false };
        const keyed = input.idProperty && input.idProperty !== 'hs_object_id' ? { [input.idProperty]: input.id } : {};
        return { ...publicObject(crm.create(objectType, { ...input.properties, ...keyed })), new: true };
      });
      return { status: 200, body: batch(results) };
    },
    // Records that do not exist are named in `errors` under a 207, as HubSpot answers a partly failed batch read.
    Batch_read: (request) => {
      const input = batchReadInput.parse(request.body);
      const found = input.inputs.map((wanted) => ({ wanted, record: crm.find(objectType, wanted.id, input.idProperty) }));
      const missing = found.filter((entry) => !entry.record).map((entry) => entry.wanted.id);
      const results = found.flatMap((entry) => (entry.record ? [publicObject(entry.record, input.properties)] : []));
      const errors = missing.map((id) => ({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: `Could not get some ${objectType} objects`,
        context: { ids: [id] },
        links: {},
        errors: [],
      }));
      return {
        status: missing.length > 0 ? 207 : 200,
        body: { ...batch(results), ...(errors.length > 0 ? { errors, numErrors: errors.length } : {}) },
      };
    },
    Search_doSearch: (request) => {
      const search = searchInput.parse(request.body ?? {});
      if (search.sorts && search.sorts.length > 0) throw new Error('the HubSpot fake does not evaluate sorts; register a handler for this call');
      const found = crm.recordsOf(objectType).filter((record) => matchesSearch(record, search));
      const page = pageOf(found, search.limit ?? 10, search.after);
      return {
        status: 200,
        body: { total: found.length, results: page.items.map((record) => publicObject(record, search.properties)), ...page.paging },
      };
    },
  };
  return Object.fromEntries(Object.entries(handlers).map(([operationId, handler]) => [operationId, answering(handler)]));
}

function associationHandlers(crm: Crm): Record<string, FakeHandler> {
  const endOf = (request: FakeRequest, typeParameter: string, idParameter: string) =>
    crm.get(objectTypeNamed(request.pathParams[typeParameter] ?? ''), request.pathParams[idParameter] ?? '');
  const labelsBetween = (from: CrmRecord, to: CrmRecord) => ({
    fromObjectTypeId: objectTypes[from.objectType].typeId,
    fromObjectId: from.id,
    toObjectTypeId: objectTypes[to.objectType].typeId,
    toObjectId: to.id,
    labels: [],
  });

  const handlers: Record<string, FakeHandler> = {
    Basic_create: (request) => {
      const from = endOf(request, 'objectType', 'objectId');
      const to = endOf(request, 'toObjectType', 'toObjectId');
      crm.associate(from, to, z.array(associationSpec).parse(request.body));
      return { status: 201, body: labelsBetween(from, to) };
    },
    Batch_create: (request) => {
      const fromType = objectTypeNamed(request.pathParams.fromObjectType ?? '');
      const toType = objectTypeNamed(request.pathParams.toObjectType ?? '');
      const results = batchAssociateInput.parse(request.body).inputs.map((input) => {
        const from = crm.get(fromType, input.from.id);
        const to = crm.get(toType, input.to.id);
        crm.associate(from, to, input.types);
        return labelsBetween(from, to);
      });
      const now = new Date().toISOString();
      return { status: 201, body: { status: 'COMPLETE', results, startedAt: now, completedAt: now } };
    },
    Basic_getPage: (request) => {
      const record = endOf(request, 'objectType', 'objectId');
      const links = crm.associationsOf(record, objectTypeNamed(request.pathParams.toObjectType ?? ''));
      const results = links.map((link) => ({
        toObjectId: link.toId,
        associationTypes: link.types.map((type) => ({ category: type.associationCategory, typeId: type.associationTypeId })),
      }));
      return { status: 200, body: { results } };
    },
    Basic_archive: (request) => {
      const from = endOf(request, 'objectType', 'objectId');
      const to = endOf(request, 'toObjectType', 'toObjectId');
      const remaining = crm.associations.filter(
        (link) => !(link.fromId === from.id && link.toId === to.id) && !(link.fromId === to.id && link.toId === from.id),
      );
      crm.associations.splice(0, crm.associations.length, ...remaining);
      return { status: 204 };
    },
  };
  return Object.fromEntries(Object.entries(handlers).map(([operationId, handler]) => [operationId, answering(handler)]));
}

/** The association names v3 reads report, e.g. `contact_to_company`. */
function associationName(from: CrmObjectType, to: CrmObjectType): string {
  return `${objectTypes[from].singular}_to_${objectTypes[to].singular}`;
}

/** Object types appear in paths as plural names, singular names or type ids (`contacts`, `contact`, `0-1`). */
function objectTypeNamed(name: string): CrmObjectType {
  const wanted = name.toLowerCase();
  const found = objectTypeNames.find((type) => type === wanted || objectTypes[type].singular === wanted || objectTypes[type].typeId === wanted);
  if (!found) throw new CrmFailure(400, `Unknown object type ${name}`);
  return found;
}

/** The record as HubSpot returns it; `selected` narrows the properties (unknown ones come back as null). */
function publicObject(record: CrmRecord, selected?: string[]): JsonObject {
  const properties =
    selected && selected.length > 0
      ? Object.fromEntries(['hs_object_id', 'createdate', 'lastmodifieddate', ...selected].map((name) => [name, record.properties[name] ?? null]))
      : { ...record.properties };
  return { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false };
}

function pageOf<T>(items: T[], limit: number, after: string | undefined): { items: T[]; paging: JsonObject } {
  const start = Number(after ?? 0);
  const end = start + limit;
  return { items: items.slice(start, end), paging: end < items.length ? { paging: { next: { after: String(end) } } } : {} };
}

function singleQuery(request: FakeRequest, name: string): string | undefined {
  const value = request.query[name];
  return Array.isArray(value) ? value[0] : value;
}

function listQuery(request: FakeRequest, name: string): string[] {
  const value = request.query[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((item) => item.split(',')).filter(Boolean);
}

function matchesSearch(record: CrmRecord, search: z.infer<typeof searchInput>): boolean {
  const query = search.query?.toLowerCase();
  if (query && !Object.values(record.properties).some((value) => value.toLowerCase().includes(query))) return false;
  const groups = search.filterGroups ?? [];
  return groups.length === 0 || groups.some((group) => group.filters.every((condition) => matchesFilter(record, condition)));
}

function matchesFilter(record: CrmRecord, condition: z.infer<typeof filter>): boolean {
  const stored = record.properties[condition.propertyName];
  const value = condition.value ?? '';
  switch (condition.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined && stored !== '';
    case 'NOT_HAS_PROPERTY':
      return stored === undefined || stored === '';
    case 'EQ':
      return sameValue(stored, value);
    case 'NEQ':
      return !sameValue(stored, value);
    case 'IN':
      return (condition.values ?? []).some((candidate) => sameValue(stored, candidate));
    case 'NOT_IN':
      return !(condition.values ?? []).some((candidate) => sameValue(stored, candidate));
    case 'CONTAINS_TOKEN':
      return containsToken(stored, value);
    case 'NOT_CONTAINS_TOKEN':
      return !containsToken(stored, value);
    case 'LT':
      return stored !== undefined && compare(stored, value) < 0;
    case 'LTE':
      return stored !== undefined && compare(stored, value) <= 0;
    case 'GT':
      return stored !== undefined && compare(stored, value) > 0;
    case 'GTE':
      return stored !== undefined && compare(stored, value) >= 0;
    case 'BETWEEN':
      return stored !== undefined && compare(stored, value) >= 0 && compare(stored, condition.highValue ?? '') <= 0;
    default:
      throw new Error(`the HubSpot fake does not know the filter operator ${condition.operator}`);
  }
}

/** A token matches a whole word; `*` is a wildcard (`*@fabrikam.example` finds every address at that domain). */
function containsToken(stored: string | undefined, token: string): boolean {
  if (stored === undefined) return false;
  const pattern = new RegExp(
    `^${token
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return [stored, ...stored.split(/[^\p{L}\p{N}]+/u)].some((word) => pattern.test(word));
}

/** Numbers compare as numbers, dates (HubSpot filters send epoch milliseconds) as instants, anything else as text. */
function compare(stored: string, given: string): number {
  const asNumber = (text: string) => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text));
  const [left, right] = [asNumber(stored), asNumber(given)];
  if (!Number.isNaN(left) && !Number.isNaN(right)) return left - right;
  return stored.localeCompare(given);
}
