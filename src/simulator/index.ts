/**
 * A simulator of the APIs clipstream speaks, for demos and tests without keys
 * or network: on 127.0.0.1 (`startSimulator`, Node only), or in memory as a
 * transport (`new Simulation(...)` with `simulatedTransport`), which runs in
 * virtual time on a TestScheduler.
 * @packageDocumentation
 */
export { startSimulator } from './server.js';
export type { Simulator, SimulatorOptions } from './server.js';
export { Simulation } from './simulation.js';
export type { SimulationOptions, SimulatedJobInfo } from './simulation.js';
export { simulatedTransport } from './transport.js';
export { simulatedApis } from './apis/index.js';
export type { SimulatedApiSpec, SimulatedRoute, FetchAsk, CreateAnswer, NewJobFields } from './spec/SimulatedApiSpec.js';
export { faultKinds } from './faults.js';
export type { FaultKind, FaultOptions } from './faults.js';
export type { RequestRecord, SimulatorStats } from './RequestLog.js';
export type { Timeline } from './spec/timelines.js';
export type { SimulatedJob } from './spec/jobs.js';
