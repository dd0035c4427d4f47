import { ConfigError } from '../errors/ConfigError.js';
import { describe } from './validate.js';

/** The longest job id accepted: real ids are UUIDs, with a model name at most (`…:luma/ray-2`). */
export const maxIdLength = 256;

// Spaces, controls, zero-width and bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9: they reorder
// how an id is shown, so a log or a page would show another id than the one asked for).
// eslint-disable-next-line no-control-regex
const invisible = /[\s\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/;
/** A UTF-16 surrogate without its pair: legal in JSON, but no URL can encode it (`encodeURIComponent` throws). */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A job id: 1 to 256 visible characters of well-formed Unicode (`:`, `/` and
 * `.` included, as in `7c880e75-…:luma/ray-2`; not `.` or `..` alone, no
 * lone surrogate, no control, zero-width or bidi character). Every id is
 * encoded wherever it goes into a URL, which such an id makes impossible.
 */
export function checkId(field: string, id: unknown, rule?: (id: string) => string | undefined): string {
  if (typeof id !== 'string') throw new ConfigError(field, `expected a job id string, got ${describe(id)}`);
  if (id === '') throw new ConfigError(field, 'the job id is empty');
  if (id.length > maxIdLength) throw new ConfigError(field, `the job id is ${id.length} characters long; at most ${maxIdLength} are accepted`);
  const lone = loneSurrogate.exec(id);
  if (lone) {
    throw new ConfigError(field, `the job id holds a lone UTF-16 surrogate (U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}) at position ${lone.index + 1}; ids are well-formed Unicode`);
  }
  // Ids go into paths (`/generations/{id}`): a dot segment would name the parent or the list instead.
  if (id === '.' || id === '..') throw new ConfigError(field, `${JSON.stringify(id)} is a dot segment, not a job id`);
  const bad = invisible.exec(id);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new ConfigError(field, `${describe(id)} is not a job id: it holds U+${code} at position ${bad.index + 1}; ids are visible characters only`);
  }
  const problem = rule?.(id);
  if (problem !== undefined) throw new ConfigError(field, `${describe(id)} is not a job id here: ${problem}`);
  return id;
}

/** A non-empty list of distinct job ids. */
export function checkIds(field: string, ids: unknown, rule?: (id: string) => string | undefined): string[] {
  if (!Array.isArray(ids)) throw new ConfigError(field, `expected an array of job ids, got ${describe(ids)}`);
  if (ids.length === 0) throw new ConfigError(field, 'the list of job ids is empty');
  const seen = new Set<string>();
  // A loop over the length, not map: map skips the holes of a sparse array.
  const checked: string[] = [];
  for (let index = 0; index < ids.length; index++) {
    const id = checkId(`${field}[${index}]`, ids[index], rule);
    if (seen.has(id)) throw new ConfigError(`${field}[${index}]`, `${JSON.stringify(id)} is listed twice`);
    seen.add(id);
    checked.push(id);
  }
  return checked;
}
