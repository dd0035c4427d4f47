/**
 * Fields a browser must not decide: where the vendor sends its pushes (a
 * stranger's `callback_url` would receive the owner's results). The relay's
 * `prepareCreate` may set them on the server.
 */
const serverOnlyField = /callback|webhook|notify/i;

/** Longest text in any one field of a create input: a prompt is a few thousand characters at most. */
const maxFieldLength = 8_000;

/**
 * A create input from a browser, checked before it goes upstream with the
 * key: a JSON object of at most `maxBytes`, no server-only field, no field
 * longer than 8,000 characters, `prompt` a string where given. Answers the
 * input, or what is wrong with it.
 */
export function checkCreateInput(text: string, maxBytes: number): { input: Record<string, unknown> } | { problem: string } {
  if (Buffer.byteLength(text) > maxBytes) return { problem: `the create input is larger than ${maxBytes} bytes` };
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { problem: 'expected the create input as JSON' };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { problem: 'expected the create input as a JSON object' };
  const fields = input as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (serverOnlyField.test(name)) return { problem: `${JSON.stringify(name.slice(0, 60))} is set by the server, not by a browser` };
    if (typeof value === 'string' && value.length > maxFieldLength) return { problem: `${JSON.stringify(name.slice(0, 60))} is longer than ${maxFieldLength} characters` };
  }
  if ('prompt' in fields && typeof fields.prompt !== 'string') return { problem: '"prompt" must be a string' };
  return { input: fields };
}
