/**
 * Exchange Online serves at most four concurrent requests per app and mailbox and answers the fifth with a
 * 429 (MailboxConcurrency). This keeps us under that limit: each mailbox has `slots` permits, a request takes
 * one, a JSON batch takes one per request it carries (Graph runs them in parallel), and waiters are served in
 * arrival order so a batch is not starved by single requests.
 */
export class MailboxLimiter {
  private readonly mailboxes = new Map<string, { inUse: number; waiting: { weight: number; start: () => void }[] }>();

  constructor(readonly slots = 4) {}

  async run<T>(mailbox: string, work: () => Promise<T>, weight = 1): Promise<T> {
    if (weight < 1 || weight > this.slots) throw new Error(`A mailbox request must take between 1 and ${this.slots} slots, not ${weight}.`);
    const key = mailbox.toLowerCase();
    await this.acquire(key, weight);
    try {
      return await work();
    } finally {
      this.release(key, weight);
    }
  }

  /** Requests running for the mailbox right now. */
  inUse(mailbox: string): number {
    return this.mailboxes.get(mailbox.toLowerCase())?.inUse ?? 0;
  }

  private acquire(key: string, weight: number): Promise<void> {
    const state = this.mailboxes.get(key) ?? { inUse: 0, waiting: [] };
    this.mailboxes.set(key, state);
    if (state.waiting.length === 0 && state.inUse + weight <= this.slots) {
      state.inUse += weight;
      return Promise.resolve();
    }
    return new Promise((start) => state.waiting.push({ weight, start }));
  }

  private release(key: string, weight: number): void {
    const state = this.mailboxes.get(key)!;
    state.inUse -= weight;
    while (state.waiting.length > 0 && state.inUse + state.waiting[0]!.weight <= this.slots) {
      const next = state.waiting.shift()!;
      state.inUse += next.weight;
      next.start();
    }
    if (state.inUse === 0 && state.waiting.length === 0) this.mailboxes.delete(key);
  }
}
