import { strategies } from './strategies.js';

/** What the parent sends: where the API is, which jobs, and how to watch them. */
export interface ChildTask {
  readonly strategy: string;
  readonly api: 'aiml-suno' | 'sunoapi';
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly ids: readonly string[];
}

/** What the child sends back. */
export interface ChildReport {
  /** [id, status, wall-clock ms] for each status seen, in the order seen. */
  readonly observations: Array<[string, string, number]>;
  /** User + system CPU while watching, in ms. */
  readonly cpuMs: number;
  /** Peak resident set size of the process, in bytes. */
  readonly maxRss: number;
  /** Peak V8 heap in use while watching, sampled every 50 ms, in bytes. */
  readonly peakHeap: number;
  readonly wallMs: number;
}

// One strategy per process: the parent forks this file, sends a task, and gets a report.
process.once('message', (task: ChildTask) => {
  void (async () => {
    const strategy = strategies[task.strategy];
    if (!strategy) throw new Error(`no strategy ${task.strategy}`);
    const observations: Array<[string, string, number]> = [];
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 50);
    const cpu = process.cpuUsage();
    const started = Date.now();
    await strategy.run({ ...task, observe: (id, status) => observations.push([id, status, Date.now()]) });
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    const report: ChildReport = {
      observations,
      cpuMs: (used.user + used.system) / 1000,
      maxRss: process.resourceUsage().maxRSS * 1024,
      peakHeap,
      wallMs: Date.now() - started,
    };
    process.send!(report, () => process.exit(0));
  })();
});
process.send!('ready');
