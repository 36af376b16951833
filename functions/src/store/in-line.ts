/**
 * Work on the same records, by key, one at a time in this process, each handed on what the one before it wrote.
 * Conditional writes stay the guard across processes; this only stops the writers of one process from racing
 * each other into conflicts they would then spend requests re-reading and retrying (many sends from one mailbox
 * at once claim slots of the same counter). A key's line, and what it hands on, lasts while someone is in it.
 */
export class InLine<T> {
  private readonly lines = new Map<string, { tail: Promise<void>; inLine: number; latest?: T }>();

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
      return await work({
        latest: (key) => this.lines.get(key)?.latest,
        handOn: (key, value) => {
          const line = this.lines.get(key);
          if (line) line.latest = value;
        },
      });
    } finally {
      for (const release of releases) release();
    }
  }
}
