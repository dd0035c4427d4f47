import { defineStatusModel } from './StatusModel.js';

/**
 * States of a Luma generation (AI/ML API), lowest priority first:
 * `queued < dreaming < completed < failed`.
 *
 * `completed` and `failed` are terminal; `failed` is a failure and cannot be
 * waited for. The generation object carries it in `state`; the API's own
 * examples also use `status`, so both fields are read, `state` first.
 *
 * ## Example
 * ```ts
 * import { lumaStatuses } from 'clipstream';
 *
 * lumaStatuses.statusOf({ id: 'g1', state: 'dreaming' }); // 'dreaming'
 * lumaStatuses.isTerminal('failed'); // true
 * ```
 */
export const lumaStatuses = defineStatusModel({
  name: 'Luma',
  statuses: ['queued', 'dreaming', 'completed', 'failed'],
  terminal: ['completed', 'failed'],
  failures: ['failed'],
  fields: ['state', 'status'],
});

/** A canonical Luma generation state. */
export type LumaStatus = (typeof lumaStatuses.statuses)[number];
