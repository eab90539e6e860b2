// Closed-loop HTTP load from a worker thread: `connections` keep-alive connections each send the
// next request as soon as the last answer arrived, for `seconds`. Reports requests per second.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, path, connections, seconds, userAgent } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let ok = 0;
let failed = 0;
const end = performance.now() + seconds * 1000;

function loop() {
  return new Promise((resolve) => {
    const next = () => {
      if (performance.now() >= end) return resolve();
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { 'user-agent': userAgent } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ok++;
          else failed++;
          next();
        });
      });
      req.on('error', () => {
        failed++;
        next();
      });
    };
    next();
  });
}

const started = performance.now();
await Promise.all(Array.from({ length: connections }, loop));
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
parentPort.postMessage({ ok, failed, requestsPerSecond: Math.round(ok / elapsed) });
