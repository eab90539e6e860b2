/** Inbound reports are parsed in a worker thread, with the same answers as in the caller's thread. */
import { readdirSync, readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { afterAll, expect, it } from 'vitest';
import { parseBounceSync } from './bounce-parser.ts';
import { ThreadedBounceParser } from './threaded-bounce-parser.ts';

const parser = new ThreadedBounceParser();
afterAll(() => parser.close());

const FIXTURES = new URL('../../test/fixtures/bounces/', import.meta.url);

it('parses in another thread than the caller, and gives what the parser gives in the caller\'s thread', async () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).slice(0, 25);
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    const raw = readFileSync(new URL(file, FIXTURES));
    const { threadId: parsedIn, ...result } = await parser.parse(raw);
    expect(parsedIn).not.toBe(threadId);
    expect(parsedIn).toBeGreaterThan(0);
    expect(result).toEqual(parseBounceSync(raw));
  }
});

it('keeps the event loop free while a pathological message is parsed', async () => {
  // A long header without separators and thousands of headers: bounded work, and none of it here.
  const raw = Buffer.from(`From: ${'a'.repeat(1_500_000)}\r\n${'X-H: v\r\n'.repeat(20_000)}\r\nbody`);
  let ticks = 0;
  const ticking = setInterval(() => ticks++, 0);
  const parsing = parser.parse(raw);
  // While the thread works, this thread goes on running its timers.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const result = await parsing;
  clearInterval(ticking);
  expect(result.threadId).not.toBe(threadId);
  expect(ticks).toBeGreaterThan(0);
});

it('ends a thread that runs past its time limit, and parses the next message in a new one', async () => {
  const strict = new ThreadedBounceParser(1);
  try {
    const raw = Buffer.from(`Subject: x\r\n${'X-H: v\r\n'.repeat(50_000)}\r\nbody`);
    await expect(strict.parse(raw)).rejects.toThrow(/BOUNCE_PARSE_TIMEOUT/);
  } finally {
    await strict.close();
  }
  const first = readdirSync(FIXTURES).find((f) => f.endsWith('.eml'));
  if (first === undefined) throw new Error('no fixture');
  expect((await parser.parse(readFileSync(new URL(first, FIXTURES)))).class).toBeDefined();
});
