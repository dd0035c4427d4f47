import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Whether a suite that needs a system program can run. Where the program is
 * missing, the suite is skipped with one loud line naming the Debian package
 * to install; under `CI=true` a missing program fails the run instead, so CI
 * never passes by skipping.
 *
 * `probe` is a path to look for, or a command to run (`['tmux', '-V']`).
 */
export function systemProgram(name: string, debianPackage: string, probe: string | readonly string[]): boolean {
  if (found(probe)) return true;
  if (process.env.CI === 'true') throw new Error(`${name} is missing, and CI=true requires every suite: apt-get install ${debianPackage}`);
  process.stderr.write(`\n*** ${name} is missing: its suite is SKIPPED. Install it with: apt-get install ${debianPackage} ***\n\n`);
  return false;
}

/** `describe` where the program is there, `describe.skip` where it is not (see {@link systemProgram}). */
export function describeWith(name: string, debianPackage: string, probe: string | readonly string[]): jest.Describe {
  return systemProgram(name, debianPackage, probe) ? describe : describe.skip;
}

function found(probe: string | readonly string[]): boolean {
  if (typeof probe === 'string') return existsSync(probe);
  try {
    execFileSync(probe[0]!, probe.slice(1), { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
