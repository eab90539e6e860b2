import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../core/ports.ts';
import type { Instant } from '../core/records.ts';
import { GroupCommitAuditLog } from './group-commit-audit-log.ts';

const entry = (n: number): AuditEntry => ({ at: '2026-01-01T00:00:00.000Z' as Instant, actor: `key-${n}`, role: 'agent', action: 'customer.read', customerId: `C${n}`, detail: {} });

/** A writer whose commits complete only when the test says so. */
function controllableWriter() {
  const batches: AuditEntry[][] = [];
  const releases: ((err?: Error) => void)[] = [];
  return {
    batches,
    release: (err?: Error) => releases.shift()?.(err),
    recordMany: (entries: readonly AuditEntry[]) =>
      new Promise<void>((resolve, reject) => {
        batches.push([...entries]);
        releases.push((err) => (err === undefined ? resolve() : reject(err)));
      }),
    forCustomer: async () => batches.flat(),
    fold: async () => undefined,
    close: async () => undefined,
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('the group-commit audit log', () => {
  it('writes entries recorded together in one batch and resolves each only after the commit', async () => {
    const writer = controllableWriter();
    const log = new GroupCommitAuditLog(writer);
    let done = 0;
    const writes = [1, 2, 3].map((n) => log.record(entry(n)).then(() => done++));
    await tick();
    expect(writer.batches.map((b) => b.map((e) => e.actor))).toEqual([['key-1', 'key-2', 'key-3']]);
    expect(done).toBe(0);
    writer.release();
    await Promise.all(writes);
    expect(done).toBe(3);
  });

  it('collects entries that arrive during a commit into the next batch', async () => {
    const writer = controllableWriter();
    const log = new GroupCommitAuditLog(writer);
    const first = log.record(entry(1));
    await tick();
    const second = log.record(entry(2));
    const third = log.record(entry(3));
    writer.release();
    await first;
    await tick();
    expect(writer.batches.map((b) => b.length)).toEqual([1, 2]);
    writer.release();
    await Promise.all([second, third]);
  });

  it('fails every request of a batch whose commit fails, and keeps working afterwards', async () => {
    const writer = controllableWriter();
    const log = new GroupCommitAuditLog(writer);
    const failing = [log.record(entry(1)), log.record(entry(2))];
    await tick();
    writer.release(new Error('disk full'));
    for (const p of failing) await expect(p).rejects.toThrow('disk full');
    const next = log.record(entry(3));
    await tick();
    writer.release();
    await expect(next).resolves.toBeUndefined();
  });
});
