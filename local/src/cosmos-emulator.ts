import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { Database, JSONObject, OperationInput } from '@azure/cosmos';

/** The key the emulator accepts; it guards nothing and is never used outside the local suite. */
export const emulatorKey = 'bG9jYWwtZW11bGF0b3Ita2V5LW5vdC1hLXNlY3JldA==';

export interface RunningEmulator {
  endpoint: string;
  /** From now on every acknowledged write is in the write-ahead log first. */
  logWrites(): Promise<void>;
  /** Writes the containers' documents into a snapshot file at `path` (see LocalPersistence), flushed to disk. */
  writeSnapshot(path: string, databaseId: string, containerIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the Cosmos DB emulator, on a worker thread, that the real @azure/cosmos client talks to. With `walPath`,
 * every acknowledged write is on disk first (see the worker).
 */
export async function startCosmosEmulator(port = 0, walPath?: string): Promise<RunningEmulator> {
  if (walPath) await mkdir(dirname(walPath), { recursive: true });
  const worker = new Worker(join(__dirname, 'cosmos-emulator.worker.cjs'), { workerData: { port, walPath } });
  const listening = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: { port: number }) => resolve(message.port));
    worker.once('error', reject);
  });
  return {
    endpoint: `http://127.0.0.1:${listening}`,
    logWrites: async () => {
      const confirmed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('log-writes');
      await confirmed;
    },
    writeSnapshot: async (path, databaseId, containerIds) => {
      const answered = new Promise<{ error?: string }>((resolve) => worker.once('message', resolve));
      worker.postMessage({ snapshot: path, databaseId, containerIds });
      const { error } = await answered;
      if (error) throw new Error(`The local snapshot could not be written: ${error}`);
    },
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}

const putsPerRequest = 100;

type LoggedWrite = { c: string; op: 'put'; doc: Record<string, unknown> } | { c: string; op: 'delete'; id: string; pk: unknown[] };

const withoutSystemFields = (document: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_')));

/**
 * The local suite's data on disk: a snapshot (one JSON line per document, written as a stream) and the
 * emulator's write-ahead log of every write acknowledged since. On start the snapshot and then the log are
 * replayed into the emulator and folded into a fresh snapshot; on a clean stop the same folding happens. A
 * SIGKILL at any moment loses nothing a client saw acknowledged: it is in the log. A torn last line (the
 * process died mid-append, before that write was acknowledged) is skipped.
 */
export class LocalPersistence {
  private database?: Database;
  private emulator?: Pick<RunningEmulator, 'writeSnapshot'>;

  constructor(
    private readonly dataDir: string,
    private readonly containerIds: readonly string[],
  ) {}

  get walPath(): string {
    return join(this.dataDir, 'cosmos.wal.jsonl');
  }

  private get snapshotPath(): string {
    return join(this.dataDir, 'cosmos.snapshot.jsonl');
  }

  /** The single-file snapshot of earlier versions, read once and then replaced. */
  private get legacySnapshotPath(): string {
    return join(this.dataDir, 'cosmos.json');
  }

  /** The database restored into, through the client; the emulator writes the snapshots from its memory. */
  attach(database: Database, emulator: Pick<RunningEmulator, 'writeSnapshot'>): void {
    this.database = database;
    this.emulator = emulator;
  }

  /** Replays snapshot and log into the emulator, then folds them into a new snapshot; answers how many writes it replayed. */
  async restore(): Promise<number> {
    let count = 0;
    if (existsSync(this.legacySnapshotPath)) {
      const legacy = JSON.parse(await readFile(this.legacySnapshotPath, 'utf8')) as Record<string, Record<string, unknown>[]>;
      for (const [c, documents] of Object.entries(legacy)) for (const doc of documents) count += await this.apply({ c, op: 'put', doc });
    }
    for (const path of [this.snapshotPath, this.walPath]) count += await this.replay(path);
    if (count > 0) await this.compact();
    await rm(this.legacySnapshotPath, { force: true });
    return count;
  }

  /** Writes every document into a new snapshot, then empties the log it now contains. */
  async compact(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const temporary = `${this.snapshotPath}.tmp`;
    await this.emulator!.writeSnapshot(temporary, this.database!.id, this.containerIds);
    await rename(temporary, this.snapshotPath);
    await truncate(this.walPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async close(): Promise<void> {
    if (this.database) await this.compact();
  }

  /**
   * Replays a file of writes in order, a line at a time from the stream: consecutive puts go in bulk requests of
   * up to 100 (a snapshot of a million documents is ten thousand requests, not a million); a delete, or a second
   * put of a document already in the page, sends the page first so writes to one document keep their order.
   */
  private async replay(path: string): Promise<number> {
    if (!existsSync(path)) return 0;
    let count = 0;
    let page: Extract<LoggedWrite, { op: 'put' }>[] = [];
    const inPage = new Set<string>();
    const flush = async () => {
      count += await this.putAll(page);
      page = [];
      inPage.clear();
    };
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      let write: LoggedWrite;
      try {
        write = JSON.parse(line) as LoggedWrite;
      } catch {
        continue; // a torn final append: that write was never acknowledged
      }
      const key = write.op === 'put' ? `${write.c}|${String(write.doc.pk)}|${String(write.doc.id)}` : undefined;
      if (key === undefined || inPage.has(key) || page.length === putsPerRequest) await flush();
      if (write.op === 'put') {
        page.push(write);
        inPage.add(key!);
      } else count += await this.apply(write);
    }
    await flush();
    return count;
  }

  /** Upserts documents, in bulk requests per container. */
  private async putAll(writes: Extract<LoggedWrite, { op: 'put' }>[]): Promise<number> {
    const byContainer = new Map<string, OperationInput[]>();
    for (const { c, doc } of writes) {
      const operations = byContainer.get(c) ?? [];
      byContainer.set(c, operations);
      operations.push({ operationType: 'Upsert', partitionKey: doc.pk as string, resourceBody: withoutSystemFields(doc) as JSONObject });
    }
    for (const [c, operations] of byContainer) {
      // items.bulk, not executeBulkOperations: that one's dispatcher waits a second for every partly filled batch.
      const results = await this.database!.container(c).items.bulk(operations, { continueOnError: true });
      const failed = results.find((result) => result.statusCode >= 400);
      if (failed) throw new Error(`restoring ${c} failed with ${failed.statusCode}`);
    }
    return writes.length;
  }

  private async apply(write: LoggedWrite): Promise<number> {
    const container = this.database!.container(write.c);
    if (write.op === 'put') {
      await container.items.upsert(withoutSystemFields(write.doc));
      return 1;
    }
    try {
      await container.item(write.id, write.pk.length === 1 ? (write.pk[0] as string) : (write.pk as never)).delete();
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
    return 1;
  }
}
