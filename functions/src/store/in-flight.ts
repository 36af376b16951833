/**
 * Work in flight, by key: callers asking for a key while its work runs share that one promise instead of starting
 * the same reads again (many sends missing a cache at once, say). Each caller gets its own copy of the answer, so
 * one changing what it was given does not change another's.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /**
   * The answer for `key`: the running work's, or that of `start`, begun now. `start` is told whether its work is
   * still the one in flight when it ends, that is, not `forget`-ten meanwhile (by a write the answer predates).
   */
  async share(key: string, start: (stillCurrent: () => boolean) => Promise<T>): Promise<T> {
    let running = this.running.get(key);
    if (!running) {
      const started: Promise<T> = start(() => this.running.get(key) === started).finally(() => {
        if (this.running.get(key) === started) this.running.delete(key);
      });
      running = started;
      this.running.set(key, started);
    }
    return structuredClone(await running);
  }

  forget(key: string): void {
    this.running.delete(key);
  }
}
