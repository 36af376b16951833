import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from '@azure/cosmos';

/** The key the emulator accepts; it guards nothing and is never used outside the local suite. */
export const emulatorKey = 'bG9jYWwtZW11bGF0b3Ita2V5LW5vdC1hLXNlY3JldA==';

export interface RunningEmulator {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts the Cosmos DB emulator, on a worker thread, that the real @azure/cosmos client talks to. */
export async function startCosmosEmulator(port = 0): Promise<RunningEmulator> {
  const worker = new Worker(join(__dirname, 'cosmos-emulator.worker.cjs'), { workerData: { port } });
  const listening = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: { port: number }) => resolve(message.port));
    worker.once('error', reject);
  });
  return {
    endpoint: `http://127.0.0.1:${listening}`,
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}

type Snapshot = Record<string, Record<string, unknown>[]>;

/**
 * The emulator keeps everything in memory, so the local suite keeps its data in a snapshot file under
 * `.asep/`: written after changes (coalesced) and on shutdown, read back on start.
 */
export class SnapshotFile {
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  private database?: Database;

  constructor(
    private readonly path: string,
    private readonly containerIds: readonly string[],
  ) {}

  /** The snapshot follows this database from now on. */
  attach(database: Database): void {
    this.database = database;
  }

  async restore(): Promise<number> {
    let snapshot: Snapshot;
    try {
      snapshot = JSON.parse(await readFile(this.path, 'utf8')) as Snapshot;
    } catch {
      return 0;
    }
    let count = 0;
    for (const [containerId, documents] of Object.entries(snapshot)) {
      const container = this.database!.container(containerId);
      for (const document of documents) {
        await container.items.upsert(document);
        count += 1;
      }
    }
    return count;
  }

  /** Called on every write to the store; the file follows within a moment. */
  markDirty(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 500);
  }

  async flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.dirty || !this.database) return;
      this.dirty = false;
      const snapshot: Snapshot = {};
      for (const id of this.containerIds) {
        const { resources } = await this.database!.container(id).items.readAll<Record<string, unknown>>().fetchAll();
        snapshot[id] = resources.map((document) => Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_'))));
      }
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(`${this.path}.tmp`, JSON.stringify(snapshot));
      await rename(`${this.path}.tmp`, this.path);
    });
    return this.writing;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
