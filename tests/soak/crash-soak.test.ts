import { describe, expect, it } from 'vitest';
import { crashSoak } from '../support/crash-soak';

/** `npm test` runs a reduced soak; `npm run soak` runs the full one (200 prospects, 10 kills). */
describe('crash soak', () => {
  it('sends each prospect exactly one email through SIGKILLs at random points of a campaign', async () => {
    const result = await crashSoak({ prospects: 40, kills: 3, maxRunMs: 1_500 });
    expect(result.duplicates).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.sent).toBe(40);
  }, 600_000);
});
