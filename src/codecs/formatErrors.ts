import type * as t from 'io-ts';

/**
 * Turns io-ts errors into one line per problem, each starting with the JSON
 * path of the bad value: `/metadata/history/0/continue_at: expected number but got "48s"`.
 *
 * Union and intersection members add numeric keys to io-ts's context that are
 * not part of the value's path; they are left out, and the union as a whole is
 * named as what was expected (`(string | null)`). Where a value has problems
 * deeper down, only those are reported: `/metadata/duration`, not also
 * `/metadata` for failing the `null` branch of `(SunoClipMetadata | null)`.
 */
export function formatErrors(errors: t.Errors, prefix = '', redact: (text: string) => string = (text) => text): string[] {
  const found = errors.map((error) => {
    const keys: string[] = [];
    let expected = error.context[error.context.length - 1]?.type.name ?? 'unknown';
    error.context.forEach((entry, index) => {
      if (index === 0) {
        expected = entry.type.name;
        return;
      }
      const parent = error.context[index - 1]?.type as { _tag?: string } | undefined;
      const isMember = parent?._tag === 'UnionType' || parent?._tag === 'IntersectionType';
      if (isMember) return;
      keys.push(entry.key);
      expected = entry.type.name;
    });
    const path = prefix + keys.map((key) => `/${key}`).join('') || '/';
    return { path, line: error.message ?? `${path}: expected ${expected} but got ${show(error.value, redact)}` };
  });
  const deepest = found.filter(
    ({ path }) => !found.some((other) => other.path !== path && other.path.startsWith(path === '/' ? '/' : `${path}/`)),
  );
  return [...new Set(deepest.map(({ line }) => line))];
}

/** A short rendering of a bad value for an error line, redacted before it is cut short. */
export function show(value: unknown, redact: (text: string) => string = (text) => text): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = redact(text);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
