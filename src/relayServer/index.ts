/**
 * Server-side helpers: the relay that lets browsers watch without the key,
 * and the webhook handler that feeds pushed jobs into watches.
 * @packageDocumentation
 */
export { createRelay } from './createRelay.js';
export type { RelayOptions } from './relayOptions.js';
export type { RelayTarget, HelloEvent, JobEvent, ErrorEvent, RelayError, StreamChange } from '../engine/relay/protocol.js';
export { webhookHandler } from './webhookHandler.js';
export type { WebhookOptions } from './webhookHandler.js';
export { dualHandler } from './fetchHandler.js';
export type { DualHandler, FetchHandler } from './fetchHandler.js';
