import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './redisServer.js';

export interface PrismProxy {
  /** Where it listens, on 127.0.0.1. */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): void;
}

/**
 * Stoplight Prism in proxy mode with the OpenAPI `document` in front of
 * `upstream`, with `--errors`: a request or an answer the document does not
 * allow becomes a 500 with its violations; any violation is named in an
 * `sl-violations` header. Resolves once Prism says it listens (a second or
 * two here).
 */
export async function startPrism(document: string, upstream: string): Promise<PrismProxy> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [require.resolve('@stoplight/prism-cli/dist/index.js'), 'proxy', document, upstream, '--host', '127.0.0.1', '--port', String(port), '--errors'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Prism is listening')) resolve();
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => reject(new Error(`prism exited with ${code}:\n${output}`)));
      timer = setTimeout(() => reject(new Error(`prism did not start in 60 s:\n${output}`)), 60_000);
    });
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { url: `http://127.0.0.1:${port}`, process: child, stop: () => child.kill() };
}

/** An answer as it came back through Prism: its violations, if any (none is allowed). */
export interface CheckedAnswer {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly violations: string | null;
}

/** The platform's fetch, noting each answer's `sl-violations` in `answers`. */
export function recordingFetch(answers: CheckedAnswer[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    answers.push({ method: init?.method ?? 'GET', url: String(input), status: response.status, violations: response.headers.get('sl-violations') });
    return response;
  };
}

/** The answers that broke their document (a violation, or Prism's 500); empties `answers`. */
export function brokenAnswers(answers: CheckedAnswer[]): CheckedAnswer[] {
  const broken = answers.filter((answer) => answer.violations !== null || answer.status === 500);
  answers.length = 0;
  return broken;
}
