import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalSuite } from '../local/src/start';

/** One reply to post: the instance its triage runs as, and the inbound route's JSON body. */
export interface ReplyToPost {
  instanceId: string;
  body: unknown;
}

export interface Delivered {
  /** Milliseconds from before each reply was posted until its triage completed, completed ones only, ascending. */
  latencies: number[];
  /** Replies refused, or whose triage did not complete. */
  failed: number;
  seconds: number;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Posts replies to the suite from a thread of its own (reply-client.worker.cjs), `inFlight` triages at a time,
 * and times each from before its POST until the suite's durable host says its triage finished.
 */
export class ReplyClient {
  private readonly worker: Worker;

  constructor(
    private readonly suite: LocalSuite,
    inFlight: number,
  ) {
    this.worker = new Worker(join(__dirname, 'reply-client.worker.cjs'), { workerData: { inFlight } });
  }

  async deliver(replies: ReplyToPost[]): Promise<Delivered> {
    const host = this.suite.services.durableHost;
    const url = `${this.suite.baseUrl}/api/dev/mailbox/inbound`;
    const expected = new Set(replies.map((reply) => reply.instanceId));
    const sentAt = new Map<string, number>();
    const finishedAt = new Map<string, { at: number; status: string }>();
    const latencies: number[] = [];
    let failed = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const settled = () => {
        if (latencies.length + failed < replies.length) return;
        host.events.off('finished', onFinished);
        this.worker.off('message', onPosted);
        resolve();
      };
      const time = (instanceId: string) => {
        const sent = sentAt.get(instanceId);
        const finished = finishedAt.get(instanceId);
        if (sent === undefined || !finished) return;
        if (finished.status === 'Completed') latencies.push(finished.at - sent);
        else failed += 1;
        settled();
      };
      const onFinished = (instanceId: string, status: string) => {
        if (!expected.has(instanceId)) return;
        finishedAt.set(instanceId, { at: now(), status });
        this.worker.postMessage({ type: 'finished', id: instanceId });
        time(instanceId);
      };
      const onPosted = (message: { id: string; sentAt: number; status: number | string }) => {
        sentAt.set(message.id, message.sentAt);
        if (message.status === 202) return time(message.id);
        failed += 1;
        settled();
      };
      host.events.on('finished', onFinished);
      this.worker.on('message', onPosted);
      settled();
      for (const reply of replies) this.worker.postMessage({ type: 'reply', id: reply.instanceId, url, body: JSON.stringify(reply.body) });
    });
    return { latencies: latencies.sort((a, b) => a - b), failed, seconds: (performance.now() - started) / 1000 };
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
