import fc from 'fast-check';
import { Observable } from 'rxjs';
import { aimlSuno, createClient, isClipstreamError, TransportError, type HttpResponse } from '../../src/index.js';
import { scriptedTransport, sunoClip, textResponse } from '../../src/testing/index.js';
import { testScheduler } from '../support/marbles.js';
import { everywhere, keyEchoes } from '../support/keyLeaks.js';

// A hostile server, fuzzed: arbitrary statuses, headers and bodies (any JSON,
// JSON cut short, huge strings, wrong types), redirect chains, connection
// failures, and the key echoed anywhere in any encoding. For every case the
// watch ends, within its deadline, in values or a typed ClipstreamError;
// nothing a user could log holds the key; no request leaves the API's origin.
const baseUrl = 'https://api.example.test';
const deadline = 600_000;

const keyArb = fc
  .string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 8, maxLength: 40 })
  .map((rest) => `sk-${rest}`);

/** A text with the key, in one of its encodings, put somewhere in it. */
const withEcho = (base: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.nat(), fc.nat(), fc.boolean()).map(([text, form, at, echo]) => ({ text, form, at, echo }));

type Plan =
  | { kind: 'respond'; status: number; headers: Array<[string, { text: string; form: number; at: number; echo: boolean }]>; body: BodyPlan; delay: number }
  | { kind: 'fail'; transport: boolean; failure: 'connection' | 'truncated' | 'too-large' | 'request'; message: { text: string; form: number; at: number; echo: boolean }; delay: number }
  | { kind: 'hang' };
type BodyPlan =
  | { kind: 'json'; value: unknown }
  | { kind: 'job'; status: string; extra: { text: string; form: number; at: number; echo: boolean } }
  | { kind: 'cut'; status: string; cut: number }
  | { kind: 'text'; text: { text: string; form: number; at: number; echo: boolean }; repeat: number };

const statusArb = fc.oneof(
  fc.constantFrom(200, 200, 200, 201, 204, 301, 302, 307, 308, 400, 401, 403, 404, 408, 422, 429, 500, 502, 503, 504),
  fc.integer({ min: 100, max: 599 }),
);
const jobStatusArb = fc.oneof(fc.constantFrom('submitted', 'queued', 'streaming', 'complete', 'completed', 'error', 'queue'), fc.string());
const bodyArb: fc.Arbitrary<BodyPlan> = fc.oneof(
  fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue() }),
  fc.record({ kind: fc.constant('job' as const), status: jobStatusArb, extra: withEcho(fc.string()) }),
  fc.record({ kind: fc.constant('cut' as const), status: jobStatusArb, cut: fc.nat({ max: 60 }) }),
  fc.record({ kind: fc.constant('text' as const), text: withEcho(fc.string()), repeat: fc.integer({ min: 1, max: 3_000 }) }),
);
const headerArb = fc.tuple(
  fc.constantFrom('retry-after', 'location', 'content-type', 'x-request-id', 'www-authenticate'),
  withEcho(fc.oneof(fc.string(), fc.constantFrom('1', '0', '2', 'Wed, 21 Oct 2099 07:28:00 GMT', 'http://evil.test/x', '/relative', 'https://api.example.test/again'))),
);
const planArb: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('respond' as const), status: statusArb, headers: fc.array(headerArb, { maxLength: 3 }), body: bodyArb, delay: fc.integer({ min: 0, max: 200_000 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fail' as const),
      transport: fc.boolean(),
      failure: fc.constantFrom('connection' as const, 'truncated' as const, 'too-large' as const, 'request' as const),
      message: withEcho(fc.string()),
      delay: fc.integer({ min: 0, max: 5_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang' as const }) },
);

function place(key: string, plan: { text: string; form: number; at: number; echo: boolean }): string {
  if (!plan.echo) return plan.text;
  const forms = keyEchoes(key);
  const at = plan.at % (plan.text.length + 1);
  return `${plan.text.slice(0, at)}${forms[plan.form % forms.length]}${plan.text.slice(at)}`;
}

function respond(key: string, plan: Plan, cold: (marbles: string, values?: Record<string, HttpResponse>, error?: unknown) => Observable<HttpResponse>): Observable<HttpResponse> {
  if (plan.kind === 'hang') return new Observable(() => undefined);
  if (plan.kind === 'fail') {
    const message = place(key, plan.message);
    const error = plan.transport ? new TransportError(plan.failure, message) : Object.assign(new Error(message), { cause: new Error(message) });
    return cold(`${plan.delay}ms #`, undefined, error);
  }
  const headers = Object.fromEntries(plan.headers.map(([name, value]) => [name, place(key, value)]));
  let body: string;
  const { body: spec } = plan;
  if (spec.kind === 'json') body = JSON.stringify(spec.value) ?? 'null';
  else if (spec.kind === 'job') body = JSON.stringify(sunoClip('a', spec.status, { title: place(key, spec.extra), metadata: { error_message: place(key, spec.extra) } }));
  else if (spec.kind === 'cut') body = JSON.stringify(sunoClip('a', spec.status)).slice(0, spec.cut);
  else body = place(key, spec.text).repeat(spec.repeat);
  return cold(`${plan.delay}ms (r|)`, { r: textResponse(body, { status: plan.status, headers }) });
}


describe('hostile servers (fast-check)', () => {
  it('every watch ends in values or a typed error within its deadline, with no key in any error, and no request off its origin', () => {
    fc.assert(
      fc.property(keyArb, fc.array(planArb, { minLength: 1, maxLength: 8 }), (key, plans) => {
        const scheduler = testScheduler();
        scheduler.run(({ cold }) => {
          const transport = scriptedTransport(({ index }) => respond(key, plans[index % plans.length]!, cold));
          const client = createClient(aimlSuno({ apiKey: key, baseUrl }), {
            transport,
            retry: { limit: 3, baseDelay: 10, maxDelay: 100, maxRetryAfter: 1_000, random: () => 0.5 },
          });
          let outcome: { done: 'complete' } | { done: 'error'; error: unknown } | undefined;
          let endedAt = -1;
          client.watch('a', { timeout: deadline }).subscribe({
            error: (error: unknown) => {
              outcome = { done: 'error', error };
              endedAt = scheduler.now();
            },
            complete: () => {
              outcome = { done: 'complete' };
              endedAt = scheduler.now();
            },
          });
          scheduler.flush();
          expect(outcome).toBeDefined();
          expect(endedAt).toBeLessThanOrEqual(deadline);
          if (outcome!.done === 'error') {
            expect(isClipstreamError(outcome!.error)).toBe(true);
            const text = everywhere(outcome!.error);
            expect(keyEchoes(key).filter((form) => text.includes(form))).toEqual([]);
          }
          expect(transport.requests.filter((request) => !request.url.startsWith(`${baseUrl}/`))).toEqual([]);
        });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 7) },
    );
  });
});
