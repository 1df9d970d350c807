// One process, an http server and a keep-alive client on 127.0.0.1: prints the requests per second it
// managed in the given time. Run bare and with `--import dist/sensor/index.js` to see what the sensor
// costs per request end to end (diagnostics_channel, AsyncLocalStorage, body capture).
import http from 'node:http';

const seconds = Number(process.argv[2] ?? 3);
const concurrency = Number(process.argv[3] ?? 16);
const body = JSON.stringify({ id: 1, customer: 'Margaret Hamilton', items: [{ sku: 'MUG-01', quantity: 1 }], total: 1200 });

const server = http.createServer((req, res) => {
  let size = 0;
  req.on('data', (c) => (size += c.length));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = JSON.stringify({ customer: { name: 'Ada' }, items: [{ sku: 'MUG-01', quantity: 1 }] });
  // Callbacks, not promises: the client should cost the same with and without the sensor's async context tracking.
  const send = (i, done) => {
    const isPost = i % 4 === 0;
    const r = http.request(
      {
        host: '127.0.0.1', port, agent, method: isPost ? 'POST' : 'GET', path: isPost ? '/orders' : '/orders/1',
        headers: isPost ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(post) } : {},
      },
      (res) => {
        res.resume();
        res.on('end', done);
      },
    );
    r.on('error', (err) => {
      console.error(err.message);
      process.exit(1);
    });
    r.end(isPost ? post : undefined);
  };
  let completed = 0;
  let counted = 0;
  const warmupEnd = Date.now() + 500;
  const end = warmupEnd + seconds * 1000;
  let running = concurrency;
  const user = (i) => {
    const now = Date.now();
    if (now >= end) {
      if (--running === 0) finish();
      return;
    }
    if (now >= warmupEnd) counted++;
    completed++;
    send(i, () => user(i + 1));
  };
  const finish = () => {
    process.stdout.write(`${JSON.stringify({ rps: counted / seconds, completed })}\n`);
    agent.destroy();
    server.close();
    process.exit(0);
  };
  for (let u = 0; u < concurrency; u++) user(u);
});
