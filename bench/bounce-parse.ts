/**
 * Bounce parsing throughput on the real-world corpus (test/fixtures/bounces): every message parsed
 * `rounds` times after a warm-up, messages per second. Usage: npx tsx bench/bounce-parse.ts [rounds]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseBounceSync } from '../src/bounces/bounce-parser.ts';

const CORPUS = fileURLToPath(new URL('../test/fixtures/bounces/', import.meta.url));

/** The corpus messages as bytes. */
export function corpusMessages(dir = CORPUS): Buffer[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => readFileSync(`${dir}/${f}`));
}

/** Messages per second of `parse` over `messages`, each parsed `rounds` times (one warm-up round first). */
export function bounceParseRate(parse: (raw: Buffer) => unknown, messages: readonly Buffer[], rounds: number): number {
  for (const m of messages) parse(m);
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const m of messages) parse(m);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (messages.length * rounds) / seconds;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.argv[2] ?? 20);
  const rate = bounceParseRate(parseBounceSync, corpusMessages(), rounds);
  process.stdout.write(`${JSON.stringify({ bench: 'bounce-parse', rounds, messagesPerSecond: Math.round(rate) })}\n`);
}
