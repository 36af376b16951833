import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@asep/shared/audit/event';
import { auditPageLimit } from '../api/client';
import { allAuditEvents, exportFileName, toJsonLines } from './auditExport';

const event = (seq: number): AuditEvent => ({
  tenantId: 't1',
  seq,
  actor: { type: 'system', id: 'test' },
  type: 'test.event',
  correlationId: `c${seq}`,
  idempotencyKey: `k${seq}`,
  payload: { seq },
  payloadHash: 'p',
  prevHash: 'h',
  hash: 'h',
  at: '2026-01-05T10:00:00.000Z',
});

describe('audit export', () => {
  it('pages through the whole chain by continuation token, reporting progress, until a page comes without one', async () => {
    const total = auditPageLimit * 2 + 7;
    const asked: (string | undefined)[] = [];
    const api = {
      // Opaque tokens, as the API hands them out: the export only passes them back.
      auditPage: async (filter: { type?: string }, limit: number, continuationToken?: string) => {
        expect(filter).toEqual({});
        asked.push(continuationToken);
        const from = continuationToken ? Number(continuationToken.slice('opaque-'.length)) : 0;
        const items = Array.from({ length: Math.max(0, Math.min(limit, total - from)) }, (_, index) => event(from + index + 1));
        const next = from + items.length < total ? `opaque-${from + items.length}` : undefined;
        return next ? { items, continuationToken: next } : { items };
      },
    };
    const progress: number[] = [];
    const events = await allAuditEvents(api, (loaded) => progress.push(loaded));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(asked).toHaveLength(3);
    expect(asked[0]).toBeUndefined();
    expect(progress).toEqual([auditPageLimit, auditPageLimit * 2, total]);
  });

  it('stops after a full last page when the API hands out no token for more', async () => {
    const items = Array.from({ length: auditPageLimit }, (_, index) => event(index + 1));
    let calls = 0;
    const events = await allAuditEvents({ auditPage: async () => (calls++, { items }) }, () => {});
    expect(events).toHaveLength(auditPageLimit);
    expect(calls).toBe(1);
  });

  it('writes one JSON event per line, exactly as received', () => {
    const lines = toJsonLines([event(1), event(2)]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1]!)).toEqual(event(2));
  });

  it('names the file after the tenant and the day', () => {
    expect(exportFileName('t1', new Date('2026-03-09T23:30:00Z'))).toBe('asep-audit-t1-2026-03-09.jsonl');
  });
});
