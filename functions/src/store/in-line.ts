/**
 * Work on the same records, by key, one at a time in this process, each handed on what the one before it wrote.
 * Conditional writes stay the guard across processes; this only stops the writers of one process from racing
 * each other into conflicts they would then spend requests re-reading and retrying (many sends from one mailbox
 * at once claim slots of the same counter).
 *
 * What was handed on is kept after the line empties, for the newest `remembered` keys: the next writer starts
 * from it instead of reading the record again. It is a guess about the store, right as long as only this process
 * writes the record; a writer elsewhere makes the next conditional write fail, and the key is forgotten.
 */
export class InLine<T> {
  private readonly lines = new Map<string, { tail: Promise<void>; inLine: number }>();
  private readonly written = new Map<string, T>();

  constructor(private readonly remembered = 2_000) {}

  /** What this process last wrote under `key` (or read there, in line), if it still remembers. */
  latest(key: string): T | undefined {
    return this.written.get(key);
  }

  /** Stops trusting what this process wrote under `key`: someone else wrote since. */
  forget(key: string): void {
    this.written.delete(key);
  }

  /**
   * Runs `work` once every key is free (keys are taken in one order, so two callers sharing keys never wait on
   * each other). `work` reads what the last holder of a key handed on and hands on what it wrote.
   */
  async run<R>(keys: string[], work: (line: { latest(key: string): T | undefined; handOn(key: string, value: T): void }) => Promise<R>): Promise<R> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) {
        const line = this.lines.get(key) ?? { tail: Promise.resolve(), inLine: 0 };
        this.lines.set(key, line);
        const ahead = line.tail;
        let release!: () => void;
        line.tail = new Promise<void>((resolve) => (release = resolve));
        line.inLine += 1;
        releases.push(() => {
          line.inLine -= 1;
          if (line.inLine === 0) this.lines.delete(key);
          release();
        });
        await ahead;
      }
      return await work({ latest: (key) => this.latest(key), handOn: (key, value) => this.handOn(key, value) });
    } finally {
      for (const release of releases) release();
    }
  }

  private handOn(key: string, value: T): void {
    // Newest last: the first key in the map is the one written longest ago.
    this.written.delete(key);
    this.written.set(key, value);
    if (this.written.size > this.remembered) this.written.delete(this.written.keys().next().value!);
  }
}
