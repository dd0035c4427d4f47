import { defineStatusModel } from './StatusModel.js';

/**
 * Statuses of a Suno clip (AI/ML API and sunoapi.com), lowest priority first:
 * `submitted < queued < streaming < complete < error`.
 *
 * `complete` and `error` are terminal; `error` is a failure and cannot be
 * waited for. The AI/ML API documents `completed` where the clip object says
 * `complete`, and `queue` is seen for `queued`: both are accepted as aliases.
 *
 * ## Example
 * ```ts
 * import { sunoStatuses } from 'clipstream';
 *
 * sunoStatuses.parse('completed'); // 'complete'
 * sunoStatuses.priority('streaming') > sunoStatuses.priority('queued'); // true
 * ```
 */
export const sunoStatuses = defineStatusModel({
  name: 'Suno',
  statuses: ['submitted', 'queued', 'streaming', 'complete', 'error'],
  terminal: ['complete', 'error'],
  failures: ['error'],
  aliases: { completed: 'complete', queue: 'queued' },
  fields: ['status'],
});

/** A canonical Suno clip status. */
export type SunoStatus = (typeof sunoStatuses.statuses)[number];
