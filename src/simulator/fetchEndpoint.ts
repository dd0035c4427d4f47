import type { Subscription } from 'rxjs';
import type { FaultKind } from './faults.js';
import { corsHeaders, type SimulatedCall } from './SimulatedCall.js';
import type { SimulationSettings } from './simulationOptions.js';
import type { SimulationWorld } from './SimulationWorld.js';
import { reachesAt, stepAt, type SimulatedJob } from './spec/jobs.js';
import type { FetchAsk, SimulatedApiSpec } from './spec/SimulatedApiSpec.js';

/**
 * The fetch endpoints of every simulated API: checks the ask, draws a fault,
 * holds a long-poll until its jobs get there (or its timeout), then answers
 * with each job as it is then.
 */
export class FetchEndpoint {
  constructor(
    private readonly world: SimulationWorld,
    private readonly settings: Pick<SimulationSettings, 'longPoll' | 'maxIds' | 'nextFault' | 'retryAfter' | 'slowBy'>,
  ) {}

  handle(api: SimulatedApiSpec, { ids, wanted, multi }: FetchAsk, call: SimulatedCall): void {
    const { noun, statuses: model } = api;
    const { scheduler, timeScale, log, pending } = this.world;
    const maxIds = this.settings.maxIds.get(api.name)!;
    if (ids.length === 0) return call.refuse(400, `no ${noun} id given`);
    if (!multi && ids.length > 1) return call.refuse(400, `give one ${noun}_id; use the ${noun}s endpoint for several`);
    if (ids.length > maxIds) return call.refuse(400, `at most ${maxIds} ${noun} ids per request, got ${ids.length}`);
    let priority = 0;
    if (wanted !== undefined) {
      const status = model.parse(wanted);
      if (status === undefined) return call.refuse(400, `unknown ${api.waitName} "${wanted}"`);
      if (model.isFailure(status)) return call.refuse(400, `You cannot wait for an ${status} ${api.waitName}`);
      priority = model.priority(status);
    }
    const byId = this.world.jobsOf(api.name);
    const found = ids.map((id) => byId.get(id));
    const unknown = ids.filter((_, index) => found[index] === undefined);
    if (unknown.length > 0) return call.refuse(404, `${noun} not found: ${unknown.join(', ')}`);
    const asked = found as SimulatedJob[];

    const fault = this.settings.nextFault();
    if (fault) log.fault(call.record, fault);
    if (fault === '500' || fault === '502') return call.refuse(Number(fault), `simulated ${fault}`);
    if (fault === '503' || fault === '429') return call.refuse(Number(fault), `simulated ${fault}`, { 'retry-after': this.settings.retryAfter });
    if (fault === 'drop') {
      call.finish(undefined);
      return call.reply.drop();
    }

    const start = scheduler.now();
    const timeout = (this.settings.longPoll.get(api.name) ?? 0) * timeScale;
    // A long-poll answers when every job is at or above the wanted status, or at the timeout.
    const ready = wanted === undefined || api.longPollTimeout === undefined ? start : Math.max(...asked.map((job) => reachesAt(job, model, priority, timeScale)));
    const answerAt = Math.ceil(Math.max(start, Math.min(ready, start + timeout))) + (fault === 'slow' ? Math.ceil(this.settings.slowBy) : 0);
    let timer: Subscription | undefined;
    const wait = () => {
      if (timer) pending.delete(timer);
      timer = undefined;
      // Timers may fire a hair early against the clock: wait out the rest rather than answer too soon.
      const left = answerAt - scheduler.now();
      if (left > 0) {
        timer = scheduler.schedule(wait, left);
        if (timer !== undefined && !timer.closed) pending.add(timer);
        return;
      }
      this.answer(api, asked, multi, fault, call);
    };
    call.onClientClosed(() => {
      if (timer === undefined) return;
      timer.unsubscribe();
      pending.delete(timer);
    });
    wait();
  }

  /** The answer of a fetch: each job at its status now (or one behind for 'stale'), cut short or malformed as the fault says. */
  private answer(api: SimulatedApiSpec, asked: SimulatedJob[], multi: boolean, fault: FaultKind | undefined, call: SimulatedCall): void {
    const { scheduler, timeScale, baseUrl } = this.world;
    const now = scheduler.now();
    const steps = asked.map((job) => stepAt(job, now, timeScale));
    const staleIndex = fault === 'stale' ? steps.findIndex((step) => step > 0) : -1;
    if (staleIndex >= 0) steps[staleIndex]! -= 1;
    const rendered = asked.map((job, index) => api.render(job, job.timeline[steps[index]!]![0], baseUrl));
    const body = api.envelope(rendered, multi);
    if (fault === 'truncate') {
      call.finish(undefined);
      return call.reply.truncate(200, { ...corsHeaders, 'content-type': 'application/json' }, JSON.stringify(body));
    }
    if (fault === 'malformed') {
      const text = JSON.stringify(body);
      call.finish(200);
      return call.reply.send(200, { ...corsHeaders, 'content-type': 'application/json' }, text.slice(0, Math.floor(text.length / 2)));
    }
    asked.forEach((job, index) => {
      if (index === staleIndex) return;
      const status = job.timeline[steps[index]!]![0];
      if (!job.delivered.includes(status)) job.delivered.push(status);
    });
    call.send(200, body);
  }
}
