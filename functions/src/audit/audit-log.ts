import { AsyncLocalStorage } from 'node:async_hooks';
import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { chainEvent, verifyChain } from '@asep/shared/audit/chain';
import { type AuditEntry, type AuditEvent, type ChainVerification } from '@asep/shared/audit/event';
import { auditPartition } from '@asep/shared/tenancy/partitioning';
import type { Clock } from '../clock/clock';

type StoredAuditEvent = AuditEvent & { id: string; pk: string; docType: 'audit' };

function isConflict(error: unknown): boolean {
  return (error as { code?: number }).code === 409;
}

/** Events held while one outcome is worked out, to be appended together once it is (see `together`). */
interface Held {
  tenantId: string;
  entries: AuditEntry[];
  open: boolean;
}

/** A transactional batch takes at most this many operations. */
const batchLimit = 100;

/**
 * A tenant's append-only, hash-chained audit log. Each event is stored under its sequence number in a
 * partition derived from that number, so claiming the next link is a single conditional create: two
 * writers racing for the same number cannot both win, and the chain never forks or skips. There is no
 * update or delete path.
 */
export class AuditLog {
  private readonly heads = new Map<string, Pick<AuditEvent, 'seq' | 'hash'>>();

  constructor(
    private readonly container: Container,
    private readonly clock: Clock,
  ) {}

  private readonly appending = new Map<string, Promise<unknown>>();
  private readonly held = new AsyncLocalStorage<Held>();

  /**
   * Appends one event. Appends from this process queue up per tenant, so they never race each other;
   * appends from other instances are settled by the conditional create. Within `together` for the same tenant
   * the event is held, and appended with the others when the work is done.
   */
  async append(tenantId: string, entry: AuditEntry): Promise<void> {
    const held = this.held.getStore();
    if (held?.open && held.tenantId === tenantId) held.entries.push(entry);
    else await this.inTurn(tenantId, () => this.appendNext(tenantId, entry));
  }

  /**
   * Runs `work`, holding the events it appends for `tenantId`, then appends them in the order given: one request
   * for all where they fall in one partition block, rather than one each. They are appended even when `work`
   * fails part way, since what it did before failing happened and a retry does not do (or audit) it again.
   */
  async together<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const held: Held = { tenantId, entries: [], open: true };
    try {
      return await this.held.run(held, work);
    } finally {
      held.open = false;
      if (held.entries.length > 0) await this.inTurn(tenantId, () => this.appendAllNext(tenantId, held.entries));
    }
  }

  private inTurn<T>(tenantId: string, append: () => Promise<T>): Promise<T> {
    const previous = this.appending.get(tenantId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(append);
    this.appending.set(tenantId, next);
    void next
      .finally(() => {
        if (this.appending.get(tenantId) === next) this.appending.delete(tenantId);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * Claims the next links for `entries` in one transactional batch: all or none. When the batch is refused (a
   * link taken by another instance, an entry already in the chain) or the entries cross into the next partition
   * block, each is appended on its own, which settles every such case.
   */
  private async appendAllNext(tenantId: string, entries: AuditEntry[]): Promise<void> {
    const previous = this.heads.get(tenantId) ?? (await this.readHead(tenantId));
    const at = this.clock.now().toISOString();
    const events: AuditEvent[] = [];
    for (const entry of entries) events.push(chainEvent(tenantId, events.at(-1) ?? previous, entry, at));
    const records = events.map((event) => stored(tenantId, event));
    const pk = records[0]!.pk;
    if (records.length > 1 && records.length <= batchLimit && records.every((record) => record.pk === pk)) {
      const operations = records.map((record): OperationInput => ({
        operationType: 'Create',
        partitionKey: pk,
        resourceBody: record as unknown as JSONObject,
      }));
      const response = await this.container.items.batch(operations, pk);
      if ((response.result ?? []).every((result) => result.statusCode < 400)) {
        this.heads.set(tenantId, events.at(-1)!);
        return;
      }
    }
    for (const entry of entries) await this.appendNext(tenantId, entry);
  }

  private async appendNext(tenantId: string, entry: AuditEntry): Promise<AuditEvent> {
    let previous = this.heads.get(tenantId) ?? (await this.readHead(tenantId));
    for (;;) {
      const next = chainEvent(tenantId, previous, entry, this.clock.now().toISOString());
      try {
        await this.container.items.create<StoredAuditEvent>(stored(tenantId, next));
        this.heads.set(tenantId, next);
        return next;
      } catch (error) {
        if (!isConflict(error)) throw error;
        const taken = await this.read(tenantId, next.seq);
        if (!taken) {
          // The unique idempotency key refused it: this entry is already in the chain.
          const existing = await this.findByKey(tenantId, entry.idempotencyKey);
          if (existing) return existing;
          throw error;
        }
        if (taken.idempotencyKey === entry.idempotencyKey) return taken;
        previous = taken;
      }
    }
  }

  /** Events after sequence number `after`, in chain order; `type` keeps only events of that type. */
  async list(tenantId: string, after = 0, limit = 100, type?: string): Promise<AuditEvent[]> {
    const { resources } = await this.container.items
      .query<StoredAuditEvent>({
        query: `SELECT TOP @limit * FROM c WHERE c.tenantId = @tenantId AND c.docType = 'audit' AND c.seq > @after${
          type ? ' AND c.type = @type' : ''
        } ORDER BY c.seq`,
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@after', value: after },
          { name: '@limit', value: limit },
          ...(type ? [{ name: '@type', value: type }] : []),
        ],
      })
      .fetchAll();
    return resources.map(withoutStorageFields);
  }

  async verify(tenantId: string): Promise<ChainVerification> {
    return verifyChain(await this.all(tenantId));
  }

  async all(tenantId: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    for (let after = 0; ;) {
      const page = await this.list(tenantId, after, 1000);
      events.push(...page);
      if (page.length < 1000) return events;
      after = page.at(-1)!.seq;
    }
  }

  private async read(tenantId: string, seq: number): Promise<AuditEvent | undefined> {
    try {
      const { resource } = await this.container.item(String(seq), auditPartition(tenantId, seq)).read<StoredAuditEvent>();
      return resource ? withoutStorageFields(resource) : undefined;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }

  private async readHead(tenantId: string): Promise<Pick<AuditEvent, 'seq' | 'hash'> | undefined> {
    const { resources } = await this.container.items
      .query<Pick<AuditEvent, 'seq' | 'hash'>>({
        query: `SELECT TOP 1 c.seq, c.hash FROM c WHERE c.tenantId = @tenantId AND c.docType = 'audit' ORDER BY c.seq DESC`,
        parameters: [{ name: '@tenantId', value: tenantId }],
      })
      .fetchAll();
    return resources[0];
  }

  private async findByKey(tenantId: string, idempotencyKey: string): Promise<AuditEvent | undefined> {
    const { resources } = await this.container.items
      .query<StoredAuditEvent>({
        query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = 'audit' AND c.idempotencyKey = @key`,
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@key', value: idempotencyKey },
        ],
      })
      .fetchAll();
    return resources[0] && withoutStorageFields(resources[0]);
  }
}

function stored(tenantId: string, event: AuditEvent): StoredAuditEvent {
  return { ...event, id: String(event.seq), pk: auditPartition(tenantId, event.seq), docType: 'audit' };
}

function withoutStorageFields(stored: StoredAuditEvent): AuditEvent {
  const { tenantId, seq, actor, type, correlationId, idempotencyKey, payload, payloadHash, prevHash, hash, at } = stored;
  return { tenantId, seq, actor, type, correlationId, idempotencyKey, payload, payloadHash, prevHash, hash, at };
}
