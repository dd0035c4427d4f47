import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { systemProgram } from './systemProgram.js';

/** Whether Debian's redis-server is here (a loud skip where it is not; required under CI=true). */
export const hasRedis = () => systemProgram('redis-server', 'redis-server', ['redis-server', '--version']);

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Kills the server (SIGKILL: as a crash would) and starts it again on the same port, empty: persistence is off. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** Starts its own redis-server on a free loopback port, persistence off; waits until it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // Real process start-up: polled on the wall clock, the last resort the standards allow for real processes.
    for (let waited = 0; !(await accepts(port)); waited += 20) {
      if (waited > 10_000) throw new Error(`redis-server did not accept connections on 127.0.0.1:${port} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await kill();
      await start();
    },
    stop: kill,
  };
}
