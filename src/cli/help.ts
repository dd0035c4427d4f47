// Every help text of the CLI, in a module of its own: `--help` and
// `--version` load this and nothing else (no provider, simulator, relay or
// HTTP machinery), so they answer as fast as node starts.
import { apiIdentities } from '../providers/identities.js';

const identities = Object.values(apiIdentities);

/** The provider names the CLI knows, for help texts. */
export const providerNames = identities.map((identity) => identity.name);

/** Which environment variable holds each provider's key, for help texts. */
export const keyEnvironment = [...new Set(identities.map((identity) => identity.keyEnv))]
  .map((env) => `${env} (${identities.filter((identity) => identity.keyEnv === env).map((identity) => identity.name).join(', ')})`)
  .join(', ');

/** Where `clipstream relay` answers. */
export const relayMount = '/api/clipstream';

/** The help lines of the flags watch and generate share. */
export const followFlagsHelp = `  --provider-module PATH
                       a module exporting providers of your own (defineProvider):
                       --provider can name them too
  --until STATUS       stop each job at this status or a higher one
  --json               JSON lines even on a terminal
  --base-url URL       the API's address (https, or http on 127.0.0.1/localhost/[::1])
  --api-key-file PATH  read the key from a file instead of the environment
  --timeout MS         give up on jobs not done after MS milliseconds
  --interval MS        for APIs that do not hold requests, poll on a fixed schedule
                       from MS (growing while nothing changes) instead of when
                       jobs usually change (learned polling, the default)`;

export const demoHelp = `Usage: clipstream demo [options]

Starts the simulator in this process, creates jobs at every API clipstream
speaks (Suno clips at the AI/ML API and sunoapi.com, Luma videos at the AI/ML
API and Luma's own, the AI/ML API's generic video and audio), and watches them
to the end. No API key or network needed.

Options:
  --time-scale X   speed of the simulated world (default 0.04: minutes become seconds)
  --seed N         seed of the simulated lives (default 7)
  --json           JSON lines instead of the live table
`;

export const generateHelp = `Usage: clipstream generate --provider NAME --prompt TEXT [options]

Creates jobs at an API from a prompt, then watches them to the end: a live
table on a terminal, one JSON line per transition on a pipe or with --json.
The ids of the new jobs are printed first, on stderr.

Options:
  --provider NAME      ${providerNames.join(', ')} (required)
  --prompt TEXT        what to generate (required)
  --count N            how many creates to send (default 1; a Suno create makes two clips)
${followFlagsHelp}

The key comes from ${keyEnvironment}, or --api-key-file.

Exit codes: 0 every job reached the target, 1 some failed, 2 usage error,
3 transport or auth error (or --timeout).
`;

export const relayHelp = `Usage: clipstream relay [--simulate] [--port N]

Runs a relay on 127.0.0.1 for trying a page by hand: browsers watch and
create jobs through it with createClient(relay({ baseUrl: '${relayMount}', api })),
and the key stays in this process. It answers under ${relayMount}; proxy that path
from your dev server (the page and the relay must share an origin).

Options:
  --simulate     relay the simulator's APIs (started in this process, no key needed)
  --port N       port on 127.0.0.1 (default 8787; 0 picks a free one)
  --time-scale X with --simulate: multiply every duration (default 0.2)

Without --simulate it relays each API whose key is set: ${keyEnvironment}.
`;

export const simulateHelp = `Usage: clipstream simulate [options]

Runs the simulator of every API clipstream speaks (the AI/ML API's seed and
generic endpoints, sunoapi.com, Luma's own API) on 127.0.0.1 until interrupted. It accepts the bearer key in SIMULATOR_API_KEY (default
"sim-key"; see docs/simulator.md).

Options:
  --port N           port on 127.0.0.1 (default: a free one, printed)
  --time-scale X     multiply every duration: 0.01 runs a 2-minute life in 1.2 s (default 1)
  --seed N           seed of job ids, lives and faults (default 1)
  --fault-rate R     share of fetch requests that get a fault, 0 to 1 (default 0)
  --failure-rate R   share of jobs that end in error/failed (default 0.05)
`;

export const watchHelp = `Usage: clipstream watch <id...> --provider NAME [options]

Watches jobs until they end (or reach --until), as a live table on a terminal,
or as one JSON line per transition on a pipe or with --json.

Options:
  --provider NAME      ${providerNames.join(', ')} (required)
${followFlagsHelp}

The key comes from ${keyEnvironment},
or --api-key-file. It is never taken as a flag: that would keep it in shell history.

Exit codes: 0 every job reached the target, 1 some failed, 2 usage error,
3 transport or auth error (or --timeout).
`;

