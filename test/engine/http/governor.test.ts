import { map, NEVER } from 'rxjs';
import { aimlSuno, createClient, type ClientHealth, type HttpResponse } from '../../../src/index.js';
import { jsonResponse, scriptedTransport, sunoClip, type RecordedRequest } from '../../../src/testing/index.js';
import type { RunHelpers } from 'rxjs/testing';
import { testScheduler } from '../../support/marbles.js';

const provider = aimlSuno({ apiKey: 'sk-governor-test' });
const idsOf = (request: RecordedRequest) => request.query['clip_ids[]'] ?? request.query.clip_id ?? [];
const describeHealth = (health: ClientHealth) =>
  health.state === 'paused' ? `paused ${health.status} until ${health.until} (${health.retryAfter} ms)` : health.state;

/** A sequence of draws for the jitter, so release times are exact. */
const draws = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length]!;
};

const rateLimited = (seconds: string) => jsonResponse({ message: 'slow down' }, { status: 429, headers: { 'retry-after': seconds } });

/**
 * A client whose first request is refused with a 429 for 1 s, and every
 * request after it held, as a long-poll whose job has not moved; `sent`
 * notes each request as `id@time`.
 */
function heldAfterRateLimit(scheduler: ReturnType<typeof testScheduler>, cold: RunHelpers['cold']) {
  const sent: string[] = [];
  const transport = scriptedTransport((request) => {
    const [id] = idsOf(request) as [string];
    sent.push(`${id}@${scheduler.now()}`);
    return request.index === 0 ? cold('10ms (r|)', { r: rateLimited('1') }) : NEVER;
  });
  return { sent, client: createClient(provider, { transport, retry: { random: () => 0 } }) };
}

describe('governor: one rate limit for the whole client', () => {
  it('pauses every request on a 429 with Retry-After, sends one probe when it ends, then releases the rest spread over a jitter window', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const sent: string[] = [];
      let aTries = 0;
      const transport = scriptedTransport((request) => {
        const ids = idsOf(request);
        const wanted = request.query.status?.[0];
        sent.push(`${ids.join('+')}@${wanted}@${scheduler.now()}`);
        if (ids.length === 3) return cold('10ms (r|)', { r: jsonResponse(ids.map((id) => sunoClip(id, 'queued'))) });
        const [id] = ids as [string];
        if (wanted === 'completed') return NEVER;
        if (id === 'a') return cold('10ms (r|)', { r: ++aTries === 1 ? rateLimited('2') : jsonResponse(sunoClip('a', 'streaming')) });
        return cold<HttpResponse>(id === 'b' ? '490ms (r|)' : '790ms (r|)', { r: jsonResponse(sunoClip(id, 'streaming')) });
      });
      const client = createClient(provider, { transport, retry: { random: draws(0.3, 0.7) } });
      expectObservable(client.health$.pipe(map(describeHealth)), '^ 3000ms !').toBe('a 19ms b 1999ms c 9ms d', {
        a: 'ok',
        b: 'paused 429 until 2020 (2000 ms)',
        c: 'probing',
        d: 'ok',
      });
      const watches = ['a', 'b', 'c'].map((id) => client.watch(id).subscribe());
      scheduler.schedule(() => watches.forEach((watch) => watch.unsubscribe()), 3_000);
      scheduler.flush();
      expect(sent).toEqual([
        'a+b+c@submitted@0',
        'a@streaming@10',
        'b@streaming@10',
        'c@streaming@10',
        // Nothing from 20 to 2020; then a's retry alone, as the probe.
        'a@streaming@2020',
        // The probe answered: a goes on at once, b and c are released 60 and 140 ms into a 200 ms window.
        'a@completed@2030',
        'b@completed@2090',
        'c@completed@2170',
      ]);
    });
  });

  it('starts the pause again when the probe is refused too, and caps a long Retry-After at retry.maxRetryAfter', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const sent: number[] = [];
      const transport = scriptedTransport(({ index }) => {
        sent.push(scheduler.now());
        if (index < 2) return cold('10ms (r|)', { r: rateLimited(index === 0 ? '1' : '86400') });
        return cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) });
      });
      const client = createClient(provider, { transport, retry: { random: () => 0, maxRetryAfter: 5_000 } });
      expectObservable(client.health$.pipe(map(describeHealth)), '^ 10000ms !').toBe('a 9ms b 999ms c 9ms d 4999ms e 9ms f', {
        a: 'ok',
        b: 'paused 429 until 1010 (1000 ms)',
        c: 'probing',
        d: 'paused 429 until 6020 (5000 ms)',
        e: 'probing',
        f: 'ok',
      });
      expectObservable(client.watch('a').pipe(map((clip) => clip.status))).toBe('6030ms (c|)', { c: 'complete' });
      scheduler.flush();
      expect(sent).toEqual([0, 1010, 6020]);
    });
  });

  it('does not pause for a 503 without Retry-After: that request backs off on its own', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(({ index }) =>
        index === 0
          ? cold('10ms (r|)', { r: jsonResponse({ message: 'busy' }, { status: 503 }) })
          : cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) }),
      );
      const client = createClient(provider, { transport, retry: { random: () => 0.5, baseDelay: 100 } });
      expectObservable(client.health$.pipe(map(describeHealth)), '^ 1000ms !').toBe('a', { a: 'ok' });
      // Full jitter: half of the first bound of 100 ms.
      expectObservable(client.watch('a').pipe(map((clip) => clip.status))).toBe('70ms (c|)', { c: 'complete' });
    });
  });

  it('pauses everyone for a 503 with Retry-After when the service looks down (here the first answer), not for a lone one among good answers', () => {
    const unavailable = (seconds: string) => jsonResponse({ message: 'unavailable' }, { status: 503, headers: { 'retry-after': seconds } });
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const sent: string[] = [];
      let lone = false;
      const transport = scriptedTransport((request) => {
        const [id] = idsOf(request) as [string];
        sent.push(`${id}@${scheduler.now()}`);
        // The first answer of all is a 503: the service looks down.
        if (request.index === 0) return cold('10ms (r|)', { r: unavailable('1') });
        // Later, one 503 among good answers: c's own, once, after b, d and e answered well.
        if (id === 'c' && !lone) {
          lone = true;
          return cold('20ms (r|)', { r: unavailable('2') });
        }
        return cold('10ms (r|)', { r: jsonResponse(sunoClip(id, 'complete')) });
      });
      const client = createClient(provider, { transport, retry: { random: () => 0 } });
      expectObservable(client.health$.pipe(map(describeHealth)), '^ 5000ms !').toBe('a 9ms b 999ms c 9ms d', {
        a: 'ok',
        b: 'paused 503 until 1010 (1000 ms)',
        c: 'probing',
        d: 'ok',
      });
      client.watch('a').subscribe();
      // After a's pause: b, d and e answer well, c is refused with Retry-After 2 and waits 2 s alone.
      ['b', 'c', 'd', 'e'].forEach((id, n) => scheduler.schedule(() => client.watch(id).subscribe(), 2_000 + n));
      scheduler.flush();
      expect(sent).toEqual(['a@0', 'a@1010', 'b@2000', 'c@2001', 'd@2002', 'e@2003', 'c@4021']);
    });
  });

  it('lets the others go when the probe is a long-poll the server holds: taken, not refused', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold }) => {
      const { sent, client } = heldAfterRateLimit(scheduler, cold);
      const watches = [client.watch('a').subscribe()];
      scheduler.schedule(() => watches.push(client.watch('b').subscribe()), 500);
      scheduler.schedule(() => watches.forEach((watch) => watch.unsubscribe()), 5_000);
      scheduler.flush();
      // a's retry goes as the probe at 1010 and is held; b goes half a second later, not when a's job moves.
      expect(sent).toEqual(['a@0', 'a@1010', 'b@1510']);
    });
  });

  it('times a held probe from when it goes, also when the pause ended with nothing waiting', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold }) => {
      const { sent, client } = heldAfterRateLimit(scheduler, cold);
      const a = client.watch('a').subscribe();
      // a leaves during the pause: nothing waits when it ends at 1010, so the client is probing with no probe.
      scheduler.schedule(() => a.unsubscribe(), 500);
      const later: Array<{ unsubscribe(): void }> = [];
      scheduler.schedule(() => later.push(client.watch('b').subscribe()), 1_600);
      scheduler.schedule(() => later.push(client.watch('c').subscribe()), 1_700);
      scheduler.schedule(() => later.forEach((watch) => watch.unsubscribe()), 5_000);
      scheduler.flush();
      // b goes as the probe and is held; c goes half a second after b, not when b's job moves.
      expect(sent).toEqual(['a@0', 'b@1600', 'c@2100']);
    });
  });

  it('serves retries before first attempts, and does not hold back requests already released when one of them is refused', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold }) => {
      const sent: string[] = [];
      const tries = new Map<string, number>();
      const transport = scriptedTransport((request) => {
        const [id] = idsOf(request) as [string];
        const attempt = (tries.get(id) ?? 0) + 1;
        tries.set(id, attempt);
        sent.push(`${id}@${scheduler.now()}`);
        // a is refused first (a 429 for 1 s); after the probe, b's first attempt is refused too.
        if ((id === 'a' || id === 'b') && attempt === 1) return cold('10ms (r|)', { r: rateLimited('1') });
        return cold('10ms (r|)', { r: jsonResponse(sunoClip(id, 'complete')) });
      });
      // Jitter draws: c, b and d are released 0, 50 and 99 ms into the 100 ms window after the probe.
      const client = createClient(provider, { transport, retry: { random: draws(0, 0.5, 0.995) } });
      client.watch('a').subscribe();
      ['c', 'b', 'd'].forEach((id, n) => scheduler.schedule(() => client.watch(id).subscribe(), 100 * (n + 1)));
      scheduler.flush();
      expect(sent).toEqual([
        'a@0',
        // a's retry is the probe, ahead of c, b and d, which asked later.
        'a@1010',
        'c@1020',
        'b@1070',
        // b's 429 pauses the client from 1080, but d was released already: it goes at 1119.
        'd@1119',
        'b@2080',
      ]);
    });
  });
});
