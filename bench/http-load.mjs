// HTTP load from a process of its own (autocannon, docs/decisions/0008): the server under test does
// not share an event loop or a core's time slices with the client's bookkeeping. Reads its job as
// JSON on standard input, writes the figures as JSON on standard output.
//   { url, paths?, headers?, connections, seconds, rate?, method?, bodyTemplate? }
//   paths: request paths taken in turn (default: the URL's own); rate: fixed requests/s for all
//   connections together (autocannon's overallRate), otherwise as fast as the server answers;
//   bodyTemplate: each request's body, with every `{n}` replaced by the request's number (so each
//   body is unique), sent with `method` (default GET, or POST with a body).
import autocannon from 'autocannon';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const paths = job.paths ?? [new URL(job.url).pathname + new URL(job.url).search];
let next = 0;

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  headers: job.headers ?? {},
  ...(job.rate === undefined ? {} : { overallRate: job.rate }),
  ...(job.bodyTemplate === undefined ? {} : { method: job.method ?? 'POST' }),
  requests: [
    {
      setupRequest: (request) => {
        const n = next++;
        return { ...request, path: paths[n % paths.length], ...(job.bodyTemplate === undefined ? {} : { body: job.bodyTemplate.replaceAll('{n}', String(n)) }) };
      },
    },
  ],
});

process.stdout.write(
  `${JSON.stringify({
    // Answers with a 2xx only: an error answered fast is no capacity.
    requestsPerSecond: Math.round(result['2xx'] / result.duration),
    answered: result['2xx'],
    seconds: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  })}\n`,
);
