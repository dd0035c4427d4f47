// A Node pipeline as its own process: watches one job on a Redis store to the
// end, closes the Redis client it made, and should then exit by itself.
//   REDIS_URL, SIM_URL, SIM_KEY, JOB_ID
import { lastValueFrom, map, toArray } from 'rxjs';
import { createClient as createRedis } from 'redis';
import { aimlSuno, createClient } from '../../src/index.js';
import { redisStore } from '../../src/redis/index.js';

async function main(): Promise<void> {
  const redis = createRedis({ url: process.env.REDIS_URL });
  await redis.connect();
  const client = createClient(aimlSuno({ apiKey: process.env.SIM_KEY!, baseUrl: process.env.SIM_URL! }), { store: redisStore({ client: redis }) });
  const statuses = await lastValueFrom(client.watch(process.env.JOB_ID!).pipe(map((clip) => clip.status), toArray()));
  process.stdout.write(`${statuses.join(' ')}\n`);
  await redis.close();
}

void main();
