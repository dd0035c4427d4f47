/**
 * The operators (`clipstream/operators`) and the status models they take, so
 * `atLeast(sunoStatuses, 'streaming')` needs only this entry.
 * @packageDocumentation
 */
export { atLeast } from './atLeast.js';
export { distinctTransitions } from './distinctTransitions.js';
export { untilTerminal } from './untilTerminal.js';
export { sunoStatuses } from '../status/sunoStatuses.js';
export type { SunoStatus } from '../status/sunoStatuses.js';
export { lumaStatuses } from '../status/lumaStatuses.js';
export type { LumaStatus } from '../status/lumaStatuses.js';
export { aimlGenerationStatuses } from '../status/aimlGenerationStatuses.js';
export type { AimlGenerationStatus } from '../status/aimlGenerationStatuses.js';
export { defineStatusModel } from '../status/StatusModel.js';
export type { StatusModel, StatusName, WaitableStatus } from '../status/StatusModel.js';
