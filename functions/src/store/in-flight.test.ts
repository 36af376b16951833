import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('work in flight', () => {
  it('makes callers asking at once share one read, each with its own copy of the answer', async () => {
    const inFlight = new InFlight<{ name: string }>();
    const read = deferred<{ name: string }>();
    let reads = 0;
    const start = () => {
      reads += 1;
      return read.promise;
    };
    const callers = [inFlight.share('rep-1', start), inFlight.share('rep-1', start), inFlight.share('rep-1', start)];
    read.resolve({ name: 'Ana' });
    const answers = await Promise.all(callers);

    expect(reads).toBe(1);
    answers[0]!.name = 'changed by the first caller';
    expect(answers.slice(1)).toEqual([{ name: 'Ana' }, { name: 'Ana' }]);
  });

  it('reads again once the shared read has ended, or failed', async () => {
    const inFlight = new InFlight<number>();
    await expect(inFlight.share('k', () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
    expect(await inFlight.share('k', async () => 2)).toBe(2);
    expect(await inFlight.share('k', async () => 3)).toBe(3);
  });

  it('tells a read a write forgot that it is no longer current, and starts the next caller afresh', async () => {
    const inFlight = new InFlight<string>();
    const stale = deferred<string>();
    let wasCurrent: boolean | undefined;
    const first = inFlight.share('k', async (stillCurrent) => {
      const value = await stale.promise;
      wasCurrent = stillCurrent();
      return value;
    });
    inFlight.forget('k');
    const second = inFlight.share('k', async () => 'after the write');
    stale.resolve('before the write');

    expect(await first).toBe('before the write');
    expect(wasCurrent).toBe(false);
    expect(await second).toBe('after the write');
  });
});
