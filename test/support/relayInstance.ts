// One relay instance as its own process, for the multi-instance spec and the
// bench: a relay on a Redis store in front of the simulator's Suno API.
// Run with tsx; prints "listening PORT" on stdout once it serves.
//   REDIS_URL, SIM_URL, SIM_KEY, ALLOWED_HOST, LEASE_TTL (ms)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient as createRedis } from 'redis';
import { aimlSuno, createClient } from '../../src/index.js';
import { redisStore } from '../../src/redis/index.js';
import { createRelay } from '../../src/relayServer/index.js';

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`relayInstance: ${name} is not set`);
    return value;
  };
  const redis = createRedis({ url: env('REDIS_URL') });
  redis.on('error', () => undefined);
  await redis.connect();
  const relay = createRelay({
    clients: {
      'aiml-suno': createClient(aimlSuno({ apiKey: env('SIM_KEY'), baseUrl: env('SIM_URL') }), {
        // The bench compares 1 and 3 instances with every job on its own long-poll in both (the default, 64, would put a
        // lone instance's 36 jobs beyond it on batched snapshots: fewer requests, slower news).
        ...(process.env.MAX_CONNECTIONS ? { maxConnections: Number(process.env.MAX_CONNECTIONS) } : {}),
      }),
    },
    store: redisStore({ client: redis }),
    leaseTtl: Number(process.env.LEASE_TTL ?? 3_000),
    // Every browser comes through the one proxy, from one address.
    maxStreamsPerAddress: 100_000,
    maxStartsPerAddress: 100_000,
    allowedHosts: [env('ALLOWED_HOST')],
  });
  if (process.env.DEBUG_RR) {
    // Diagnostics: how many statuses of rank 3 this instance hears through the store.
    let heard = 0;
    void redisStore({ client: redis }).subscribe((news) => {
      if (news.rank === 3) heard += 1;
    });
    setInterval(() => process.stderr.write(`instance ${process.pid} heard ${heard} completes\n`), 1_000).unref();
  }
  const server = createServer((req, res) => (req.url?.startsWith('/api/clipstream/') ? relay(req, res) : res.writeHead(404).end()));
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => {
    void relay.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`relayInstance: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
