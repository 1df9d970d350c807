import { createServer } from './src/app.js';

const port = Number(process.env.PORT ?? 3105);
const server = createServer();

server.listen(port, process.env.HOST, () => {
  console.log(`billing listening on port ${server.address().port}`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
