import { frontierStrategies, populations, runFrontier } from './frontier.js';
const t0 = Date.now();
for (const population of populations()) {
  console.log(`\n${population.name}`);
  for (const strategy of frontierStrategies()) {
    const r = runFrontier(strategy, population);
    console.log(`${r.strategy.padEnd(36)} ${r.requestsPerJob.toFixed(2).padStart(6)} req/job  p50 ${Math.round(r.latency.p50).toString().padStart(6)}  p99 ${Math.round(r.latency.p99).toString().padStart(6)}  max ${Math.round(r.latency.max).toString().padStart(6)}  skipped ${(100*r.skippedShare).toFixed(1)}%  unfinished ${r.unfinished}  halves ${r.halves.map(Math.round).join('/')}`);
  }
}
console.log(`${Date.now() - t0} ms`);
