/** A request whose body never finishes is cut off by the server, not held open. */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { describeEachStore } from '../../test/support/stores.ts';
import { buildServer } from './server.ts';

describeEachStore('a request that never finishes', (ctx) => {
  it('is answered 408 and closed once LUPA_REQUEST_TIMEOUT_SECONDS has passed', async () => {
    const server = await buildServer({ ...ctx.app, config: { ...ctx.app.config, LUPA_REQUEST_TIMEOUT_SECONDS: 1 } });
    await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = server.server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          // A public route that reads its body (the one-click unsubscribe): headers promise 1,000
          // bytes, one arrives, and then nothing.
          socket.write('POST /u/x HTTP/1.1\r\nHost: lupa\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nL');
        });
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await server.close();
    }
  }, 120_000);
});
