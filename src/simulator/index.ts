/**
 * A simulator of the AI/ML API (Suno, Luma) and sunoapi.com on 127.0.0.1, for
 * demos and tests without keys or network. Node only.
 * @packageDocumentation
 */
export { startSimulator } from './createSimulator.js';
export type { Simulator, SimulatorOptions, SimulatedJobInfo } from './createSimulator.js';
export { faultKinds } from './faults.js';
export type { FaultKind, FaultOptions } from './faults.js';
export type { RequestRecord, SimulatorStats } from './RequestLog.js';
export type { SimulatedApi, Timeline } from './timelines.js';
