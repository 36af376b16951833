/**
 * Runs at most `limit` tasks at once, the limit following this thread's event loop. Activities that wait on I/O
 * (Cosmos, Graph, the sandbox providers) leave the loop free, and the limit grows towards `max`; when the loop
 * falls behind (its timers fire late: the activities are busy on this CPU, not waiting), it halves, down to `min`.
 * Past that point more activities at once only interleave: none finishes sooner, and everything sharing the loop
 * (the HTTP requests, the Graph webhook's 202 among them) waits behind all of them. In Azure the Functions host
 * caps activities per worker the same way (`maxConcurrentActivityFunctions`), on a process of its own.
 */
export class AdaptivePool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private currentLimit: number;
  private sampler?: NodeJS.Timeout;
  private expectedAt = 0;

  constructor(
    private readonly min: number,
    private readonly max: number,
    /** How often the loop's lateness is sampled, and how late a sample may be before the limit halves. */
    private readonly sampleMs = 20,
    private readonly lateMs = 20,
  ) {
    this.currentLimit = max;
  }

  get limit(): number {
    return this.currentLimit;
  }

  get activeCount(): number {
    return this.running;
  }

  get pendingCount(): number {
    return this.waiting.length;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running += 1;
        this.watch();
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            this.admit();
          });
      };
      this.waiting.push(start);
      this.admit();
    });
  }

  /** Forgets tasks not started yet (they never run) and stops sampling. */
  clearQueue(): void {
    this.waiting.length = 0;
    this.stopWatching();
  }

  private admit(): void {
    while (this.running < this.currentLimit && this.waiting.length > 0) this.waiting.shift()!();
    if (this.running === 0 && this.waiting.length === 0) this.stopWatching();
  }

  private watch(): void {
    if (this.sampler) return;
    // Idle until now: nothing was keeping the loop busy, so the pool starts wide again.
    this.currentLimit = this.max;
    this.expectedAt = performance.now() + this.sampleMs;
    this.sampler = setInterval(() => {
      const now = performance.now();
      const late = now - this.expectedAt;
      this.expectedAt = now + this.sampleMs;
      if (late > this.lateMs) this.currentLimit = Math.max(this.min, Math.floor(this.currentLimit / 2));
      else if (late < this.lateMs / 4) this.currentLimit = Math.min(this.max, this.currentLimit + Math.max(1, Math.floor(this.currentLimit / 4)));
      this.admit();
    }, this.sampleMs);
    this.sampler.unref();
  }

  private stopWatching(): void {
    clearInterval(this.sampler);
    this.sampler = undefined;
  }
}
