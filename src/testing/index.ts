/**
 * Helpers to test code that uses clipstream, in virtual time with RxJS's
 * TestScheduler: a scripted transport and response and job builders.
 * @packageDocumentation
 */
export { scriptedTransport } from './scriptedTransport.js';
export type { RecordedRequest, ScriptedAnswer, ScriptedTransport } from './scriptedTransport.js';
export { jsonResponse, textResponse, sunoClip, lumaGeneration } from './responses.js';
