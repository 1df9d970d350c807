import type { AddressInfo } from 'node:net';
import { createServer } from './app.js';

const port = Number(process.env.PORT ?? 3103);
const server = createServer();

server.listen(port, process.env.HOST, () => {
  console.log(`reports listening on port ${(server.address() as AddressInfo).port}`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
