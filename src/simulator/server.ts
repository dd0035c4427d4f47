import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors/ConfigError.js';
import { Simulation, type SimulatedReply } from './simulation.js';
import { simulationKeys, type SimulationOptions } from './simulationOptions.js';
import { rejectUnknownKeys } from '../internal/validate.js';

/** Options of {@link startSimulator}: a simulation's, and the port. */
export interface SimulatorOptions extends SimulationOptions {
  /** Port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
}

/** A running simulator: the simulation, served on 127.0.0.1. */
export interface Simulator extends Pick<Simulation, 'addJob' | 'job' | 'jobs' | 'stats' | 'requests'> {
  /** `http://127.0.0.1:PORT`: pass it as `baseUrl` to a provider. */
  readonly url: string;
  readonly port: number;
  /** The bearer key it accepts. */
  readonly apiKey: string;
  /**
   * A provider factory's config for API `api` on this simulator: its key,
   * and `url` with the API's base path (`/dream-machine/v1` for Luma's own).
   * `createClient(lumaLabs(sim.configFor('luma-labs')))`.
   */
  configFor(api: string): { apiKey: string; baseUrl: string };
  /** Connections open now, and the most open at once since start. */
  connections(): { open: number; max: number };
  /** Stops answering, closes every connection and the server. */
  close(): Promise<void>;
}

/**
 * Starts a simulator of the APIs clipstream speaks on 127.0.0.1: the fetch
 * endpoints with their long-poll semantics, the create endpoints, the
 * refusals, fault injection and a request log. See docs/simulator.md.
 *
 * ## Example
 * ```ts
 * import { startSimulator } from 'clipstream/simulator';
 * import { createClient, aimlSuno } from 'clipstream';
 *
 * const sim = await startSimulator({ timeScale: 0.01 });
 * const job = sim.addJob('aiml-suno');
 * const client = createClient(aimlSuno({ apiKey: sim.apiKey, baseUrl: sim.url }));
 * client.watch(job.id).subscribe({ next: (clip) => console.log(clip.status), complete: () => sim.close() });
 * // Output:
 * // submitted
 * // queued
 * // streaming
 * // complete
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  if (typeof options === 'object' && options !== null) rejectUnknownKeys('options', options, [...simulationKeys, 'port']);
  const { port = 0, ...rest } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('port', `expected a port number, got ${String(port)}`);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${bound}`;
  let simulation: Simulation;
  try {
    simulation = new Simulation(rest, url);
  } catch (error) {
    // Options that do not hold leave no server listening behind the ConfigError.
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  let open = 0;
  let max = 0;
  server.on('connection', (socket) => {
    open += 1;
    max = Math.max(max, open);
    socket.once('close', () => (open -= 1));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const exchange = simulation.handle(
      { method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization, readBody: () => readBody(req) },
      nodeReply(res),
    );
    res.on('close', () => {
      if (!res.writableFinished) exchange.clientClosed();
    });
  });
  return {
    url,
    port: bound,
    apiKey: simulation.apiKey,
    configFor: (api) => ({ apiKey: simulation.apiKey, baseUrl: `${url}${simulation.api(api).basePath}` }),
    addJob: (api, fields) => simulation.addJob(api, fields),
    job: (id) => simulation.job(id),
    jobs: () => simulation.jobs(),
    stats: () => simulation.stats(),
    requests: () => simulation.requests(),
    connections: () => ({ open, max }),
    close: () =>
      new Promise<void>((resolve) => {
        simulation.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function nodeReply(res: ServerResponse): SimulatedReply {
  return {
    send(status, headers, body) {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { ...headers, 'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength });
      res.end(body);
    },
    truncate(status, headers, body) {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      res.socket?.destroy();
    },
    drop() {
      res.socket?.destroy();
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 65_536) {
        reject(new Error('the body is too large'));
        req.destroy();
      }
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

