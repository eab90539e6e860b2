// Latency of single requests, one at a time over one keep-alive connection, from a process of its
// own (the server under test does not share an event loop with the client). Reads its job as JSON
// on standard input, writes the figures as JSON on standard output.
//   { url, headers?, groups: { NAME: [path, …] }, warmup? }
//   Each group's paths are requested in turn, after `warmup` requests (default 5) that are not counted;
//   per group: p50, p95, p99 and max in milliseconds, and the answers that were not 200.
import http from 'node:http';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(new URL(path, job.url), { agent, headers: job.headers ?? {} }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const at = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (v) => Math.round(v * 100) / 100;
const out = {};
for (const [name, paths] of Object.entries(job.groups)) {
  for (const path of paths.slice(0, job.warmup ?? 5)) await get(path);
  const ms = [];
  let non200 = 0;
  for (const path of paths) {
    const r = await get(path);
    if (r.status !== 200) non200++;
    ms.push(r.ms);
  }
  ms.sort((a, b) => a - b);
  out[name] = { requests: ms.length, non200, latencyMs: { p50: round(at(ms, 50)), p95: round(at(ms, 95)), p99: round(at(ms, 99)), max: round(ms[ms.length - 1]) } };
}
agent.destroy();
process.stdout.write(`${JSON.stringify(out)}\n`);
