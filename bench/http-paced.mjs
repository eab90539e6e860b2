// HTTP load at a fixed rate, paced evenly, from a process of its own (bench/http-capacity.ts). The
// same job and figures as http-load.mjs. autocannon's fixed rate is a budget per second: each
// connection sends its share back to back at the start of every second and then waits, so a
// "500 requests a second" run is a burst of 500 at once, and its latency measures how fast a
// burst drains. Here request i is due at start + i/rate and is sent then (open loop: a slow answer
// does not delay the next request), over at most `connections` keep-alive sockets; its latency is
// counted from when it was due to when its answer ended, so time spent queued behind a slow
// server counts too (no coordinated omission).
import http from 'node:http';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const base = new URL(job.url);
const paths = job.paths ?? [base.pathname + base.search];
const method = job.bodyTemplate === undefined ? 'GET' : (job.method ?? 'POST');
const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });

const latencies = [];
let answered = 0;
let non2xx = 0;
let errors = 0;
let timeouts = 0;
let sent = 0;
let settled = 0;

function send(n, dueMs) {
  const body = job.bodyTemplate === undefined ? undefined : job.bodyTemplate.replaceAll('{n}', String(n));
  const headers = { ...(job.headers ?? {}), ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) };
  const req = http.request({ host: base.hostname, port: base.port, path: paths[n % paths.length], method, headers, agent, timeout: 10_000 }, (res) => {
    res.on('data', () => undefined);
    res.on('end', () => {
      latencies.push(performance.now() - dueMs);
      if (res.statusCode >= 200 && res.statusCode < 300) answered++;
      else non2xx++;
      settled++;
    });
  });
  req.on('timeout', () => {
    timeouts++;
    req.destroy();
  });
  req.on('error', () => {
    errors++;
    settled++;
  });
  req.end(body);
}

const start = performance.now();
const total = Math.round(job.rate * job.seconds);
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const now = performance.now();
    for (; sent < total && start + (sent * 1000) / job.rate <= now; sent++) send(sent, start + (sent * 1000) / job.rate);
    if (sent >= total) {
      clearInterval(timer);
      resolve();
    }
  }, 1);
});
// The last answers, for at most a few seconds more.
const deadline = performance.now() + 5000;
while (settled < sent && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
const seconds = (performance.now() - start) / 1000;
agent.destroy();

latencies.sort((a, b) => a - b);
const at = (q) => (latencies.length === 0 ? 0 : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]));
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: Math.round(answered / Math.max(seconds, job.seconds)),
    answered,
    seconds: Math.round(seconds * 100) / 100,
    non2xx,
    errors,
    timeouts,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
  })}\n`,
);
