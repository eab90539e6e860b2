// Open-loop HTTP load from a worker thread (its own event loop and core): sends requests at a
// fixed rate whatever the latency, so slow answers show up in the percentiles instead of
// slowing the sender down. Reports every latency in milliseconds.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, key, rate, seconds, paths } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
const latencies = [];
let errors = 0;
let statusErrors = 0;
let sent = 0;
const total = rate * seconds;

function fire(path) {
  const started = performance.now();
  const req = http.request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
    res.resume();
    res.on('end', () => {
      latencies.push(performance.now() - started);
      if (res.statusCode !== 200) statusErrors++;
      maybeDone();
    });
  });
  req.on('error', () => {
    errors++;
    maybeDone();
  });
  req.end();
}

function maybeDone() {
  if (latencies.length + errors === total) {
    agent.destroy();
    parentPort.postMessage({ latencies, errors, statusErrors, sent });
  }
}

const begin = performance.now();
function tick() {
  const due = Math.min(total, Math.floor(((performance.now() - begin) / 1000) * rate));
  while (sent < due) fire(paths[sent++ % paths.length]);
  if (sent < total) setTimeout(tick, 1);
}
tick();
