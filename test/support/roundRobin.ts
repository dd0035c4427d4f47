import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A relay instance process (test/support/relayInstance.ts under tsx). */
export interface Instance {
  readonly port: number;
  readonly child: ChildProcess;
}

const script = join(__dirname, 'relayInstance.ts');

/**
 * Starts a relay instance process and waits until it listens (a real process: its start-up is on the wall clock).
 * One process, tsx loaded into node itself: the tsx command would run the script in a child that a SIGKILL leaves alive.
 */
export function startInstance(env: Record<string, string>): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve({ port: Number(port), child });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (process.env.DEBUG_RR) process.stderr.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`relay instance exited with ${code}: ${err.slice(0, 500)}`)));
  });
}

export function killInstance(instance: Instance): Promise<void> {
  return new Promise((resolve) => {
    if (instance.child.exitCode !== null) return resolve();
    instance.child.once('exit', () => resolve());
    instance.child.kill('SIGKILL');
  });
}

/**
 * A load balancer with no stickiness: each request goes to the next live
 * instance in turn; an instance that refuses the connection is skipped, as a
 * balancer's health check would.
 */
export async function roundRobin(): Promise<{ url: string; port: number; instances: Array<Instance | undefined>; routed: number[]; close(): Promise<void> }> {
  const instances: Array<Instance | undefined> = [];
  const routed: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1_000 });
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const live = instances.map((instance, index) => ({ instance, index })).filter((entry) => entry.instance !== undefined);
        if (live.length === 0 || tries > instances.length) return void res.writeHead(502).end();
        const { instance, index } = live[next++ % live.length]!;
        const upstream = request({ host: '127.0.0.1', port: instance!.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
          routed[index] = (routed[index] ?? 0) + 1;
          if (process.env.DEBUG_RR) process.stderr.write(`${index} ${req.method} ${req.url?.slice(15, 40)} ${answer.statusCode} ${Date.now() % 100000}\n`);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.flushHeaders();
          answer.pipe(res);
          // The instance died mid-answer: the browser's connection breaks too, as behind a real balancer.
          answer.once('close', () => answer.complete || res.destroy());
        });
        upstream.on('error', () => (res.headersSent ? res.destroy() : attempt(tries + 1)));
        res.on('close', () => upstream.destroy());
        upstream.end(body);
      };
      attempt(1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/clipstream`,
    port,
    instances,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
