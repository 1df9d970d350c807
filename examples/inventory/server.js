'use strict';

const { createApp } = require('./src/app');

const port = Number(process.env.PORT || 3102);
const server = createApp();

server.listen(port, process.env.HOST, () => {
  console.log(`inventory listening on port ${server.address().port}`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
