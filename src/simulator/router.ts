import { ConfigError } from '../errors/ConfigError.js';
import { describe } from '../internal/validate.js';
import { simulatedApis } from './apis/index.js';
import type { SimulatedApiSpec, SimulatedRoute } from './spec/SimulatedApiSpec.js';

/** A request's API and route, and the id in its path (if the route has one). */
export interface Matched {
  readonly api: SimulatedApiSpec;
  readonly route: SimulatedRoute;
  readonly id: string | undefined;
}

/** Which simulated API and route a request is for, by method and path. */
export class SimulationRouter {
  constructor(private readonly apis: readonly SimulatedApiSpec[]) {}

  match(method: string, path: string): Matched | undefined {
    for (const api of this.apis) {
      for (const route of api.routes) {
        if (route.method !== method) continue;
        const id = matchPath(route.path, path);
        if (id !== false) return { api, route, id };
      }
    }
    return undefined;
  }

  /** The methods some route takes at `path` (for a 405's `Allow`). */
  methodsFor(path: string): string[] {
    return [...new Set(this.apis.flatMap((api) => api.routes.filter((route) => matchPath(route.path, path) !== false).map((route) => route.method)))];
  }
}

/** Whether `path` matches `pattern` (`/generations/:id`): false, or the id (undefined without one). */
function matchPath(pattern: string, path: string): string | undefined | false {
  const at = pattern.indexOf(':id');
  if (at < 0) return pattern === path ? undefined : false;
  const prefix = pattern.slice(0, at);
  const suffix = pattern.slice(at + 3);
  if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length <= prefix.length + suffix.length) return false;
  const raw = path.slice(prefix.length, path.length - suffix.length);
  if (raw.includes('/')) return false;
  try {
    return decodeURIComponent(raw);
  } catch {
    return false;
  }
}

/** The built-in APIs and the caller's own, each name once. */
export function withOwnApis(own: readonly SimulatedApiSpec[] | undefined): readonly SimulatedApiSpec[] {
  if (own === undefined) return simulatedApis;
  if (!Array.isArray(own)) throw new ConfigError('apis', `expected an array of SimulatedApiSpec, got ${describe(own)}`);
  const names = new Set(simulatedApis.map((api) => api.name));
  own.forEach((api, index) => {
    const field = `apis[${index}]`;
    if (typeof api !== 'object' || api === null) throw new ConfigError(field, `expected a SimulatedApiSpec, got ${describe(api)}`);
    for (const key of ['name', 'title', 'noun', 'waitName'] as const) {
      if (typeof api[key] !== 'string' || api[key] === '') throw new ConfigError(`${field}.${key}`, `expected a non-empty string, got ${describe(api[key])}`);
    }
    for (const key of ['randomTimeline', 'render', 'envelope', 'create', 'errorBody'] as const) {
      if (typeof api[key] !== 'function') throw new ConfigError(`${field}.${key}`, 'expected a function');
    }
    if (typeof api.statuses?.statusOf !== 'function') throw new ConfigError(`${field}.statuses`, 'expected a status model from defineStatusModel');
    if (!Array.isArray(api.routes) || api.routes.length === 0) throw new ConfigError(`${field}.routes`, 'expected at least one route');
    if (typeof api.basePath !== 'string' || (api.basePath !== '' && !api.basePath.startsWith('/'))) throw new ConfigError(`${field}.basePath`, `expected "" or a path starting with "/", got ${describe(api.basePath)}`);
    if (names.has(api.name)) throw new ConfigError(`${field}.name`, `${JSON.stringify(api.name)} is already simulated: each API once`);
    names.add(api.name);
  });
  return [...simulatedApis, ...own];
}
