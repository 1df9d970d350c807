// A free TCP port on 127.0.0.1, for a service Suture starts (an oracle, a demo, a test).

import net from 'node:net';

/** A port nothing listens on at the moment of the call. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
