// Two relay instances on one store, in virtual time: a job followed through
// both is watched upstream once, by the lease holder, and its watch is not
// handed over (and asked again) when the holder's own viewers leave while the
// other instance's remain; it ends grace after the last viewer on any
// instance leaves.
import { concat, defer, finalize, map, NEVER, of } from 'rxjs';
import { aimlSuno, createClient, relay, type Client } from '../../src/index.js';
import type { AnyProvider } from '../../src/providers/Provider.js';
import { createRelay } from '../../src/relayServer/index.js';
import { memoryStore } from '../../src/store/index.js';
import { sunoClip } from '../../src/testing/index.js';
import { VirtualClock } from '../support/virtualClock.js';

/** Two relays on one store, in virtual time, over upstream clients that note every watch they start. */
function twoInstances() {
  const clock = new VirtualClock();
  const { scheduler } = clock;
  const store = memoryStore({ scheduler });
  /** Every upstream watch started, by instance, and those still going. */
  const started: string[] = [];
  const counts = { going: 0 };
  const upstreamOf = (instance: string): Client<AnyProvider> => {
    const real = createClient(aimlSuno({ apiKey: 'sk-instances-0123456789' }));
    const watch = (id: string) =>
      defer(() => {
        started.push(`${instance}@${clock.now()}`);
        counts.going += 1;
        // A job that stays queued: the watch lives until the relay ends it.
        return concat(of(sunoClip(id, 'queued')), NEVER);
      }).pipe(finalize(() => (counts.going -= 1)));
    return { ...real, watch: watch as never };
  };
  const relays = ['one', 'two'].map((instance) => createRelay({ clients: { 'aiml-suno': upstreamOf(instance) }, scheduler, store, grace: 5_000, leaseTtl: 3_000 }));
  const browserOn = (instance: number) =>
    createClient(relay({ baseUrl: 'http://relay.test/api/clipstream', api: 'aiml-suno' }), {
      scheduler,
      fetch: ((url: string, init: RequestInit) => relays[instance]!.fetch(new Request(url, init), `10.0.0.${instance + 1}`)) as never,
    });
  return { clock, started, counts, browserOn, close: () => Promise.all(relays.map((relayHandler) => relayHandler.close())) };
}

it('keeps one upstream watch for a job followed through two instances until the last viewer on either leaves', async () => {
  const { clock, started, counts, browserOn, close } = twoInstances();
  const seen: string[] = [];
  const first = browserOn(0).watch('job-1').pipe(map((clip) => `one:${clip.status}`)).subscribe((entry) => seen.push(entry));
  await clock.advanceBy(1_000);
  const second = browserOn(1).watch('job-1').pipe(map((clip) => `two:${clip.status}`)).subscribe((entry) => seen.push(entry));
  await clock.advanceBy(1_000);
  expect(seen).toEqual(['one:queued', 'two:queued']);
  expect(started).toEqual(['one@0']);

  // The holder's own viewer leaves; the other instance's stays: one watch still, and none started again.
  first.unsubscribe();
  await clock.advanceBy(30_000);
  expect({ started, going: counts.going }).toEqual({ started: ['one@0'], going: 1 });

  // The last viewer leaves: the watch ends after grace and the browser's linger, and nothing starts again.
  second.unsubscribe();
  await clock.advanceBy(30_000);
  expect({ started, going: counts.going }).toEqual({ started: ['one@0'], going: 0 });
  await close();
});

it("keeps the watch through the other instance's grace: its viewer back within grace finds the job watched, not handed over", async () => {
  const { clock, started, counts, browserOn, close } = twoInstances();
  const first = browserOn(0).watch('job-1').subscribe();
  await clock.advanceBy(1_000);
  const second = browserOn(1);
  const away = second.watch('job-1').subscribe();
  await clock.advanceBy(1_000);
  // The holder's viewer leaves for good; then the other instance's viewer leaves too, and is back 2 s later (grace is 5 s).
  first.unsubscribe();
  await clock.advanceBy(10_000);
  away.unsubscribe();
  await clock.advanceBy(2_000);
  const back = second.watch('job-1').subscribe();
  await clock.advanceBy(30_000);
  expect({ started, going: counts.going }).toEqual({ started: ['one@0'], going: 1 });
  back.unsubscribe();
  await close();
});
