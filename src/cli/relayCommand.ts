import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '../client/Client.js';
import { createClient } from '../client/createClient.js';
import type { AnyProvider } from '../providers/Provider.js';
import { registeredProviders } from '../providers/registry.js';
import { createRelay } from '../relayServer/createRelay.js';
import { startSimulator, type Simulator } from '../simulator/server.js';
import { commandArgs, noPositionals, portFlag, timeScaleFlag, UsageError } from './args.js';
import type { Io } from './Output.js';
import { keyEnvironment, relayHelp, relayMount } from './help.js';



export async function relayCommand(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  const args = commandArgs(argv, ['port', 'time-scale'], ['simulate'], relayHelp, io);
  if (!args) return 0;
  noPositionals(args);
  const port = portFlag(args) ?? 8787;
  const timeScale = timeScaleFlag(args);
  if (timeScale !== undefined && !args.flags.has('simulate')) throw new UsageError('--time-scale goes with --simulate');

  let sim: Simulator | undefined;
  const clients: Record<string, Client<AnyProvider>> = {};
  if (args.flags.has('simulate')) {
    sim = await startSimulator({ timeScale: timeScale ?? 0.2 });
    for (const entry of registeredProviders) {
      const { name } = entry.factory.spec;
      clients[name] = createClient(entry.factory(sim.configFor(name)));
    }
  } else {
    for (const entry of registeredProviders) {
      const apiKey = io.env[entry.keyEnv];
      if (apiKey) clients[entry.factory.spec.name] = createClient(entry.factory({ apiKey }));
    }
    if (Object.keys(clients).length === 0) throw new UsageError(`no API key set: set ${keyEnvironment}, or use --simulate`);
  }

  // Simulated credits cost nothing: anyone on this machine may create then. With real keys, creates are refused.
  const relay = createRelay({ clients, anyoneMaySpendCredits: sim !== undefined });
  const server = createServer((req, res) => {
    if (req.url?.startsWith(`${relayMount}/`)) return relay(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`the relay answers under ${relayMount}/\n`);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await sim?.close();
    throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const { port: bound } = server.address() as AddressInfo;
  io.stdout.write(
    `clipstream relay on http://127.0.0.1:${bound}${relayMount} for ${Object.keys(clients).join(', ')}` +
      `${sim ? ` (the simulator at ${sim.url})` : ' (watching only: a relay with real keys creates nothing without an authorize; see docs/browser.md)'}\n`,
  );
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  relay.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await sim?.close();
  io.stdout.write('clipstream relay stopped\n');
  return 0;
}
