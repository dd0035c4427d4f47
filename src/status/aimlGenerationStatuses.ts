import { defineStatusModel } from './StatusModel.js';

/**
 * Statuses of a generation at the AI/ML API's current generic endpoints
 * (`/v2/video/generations`, `/v2/generate/audio`), lowest priority first:
 * `queued < generating < completed < error`.
 *
 * `completed` and `error` are terminal; `error` is a failure. The job holds
 * it in `status`. These endpoints cannot wait: jobs are polled.
 *
 * ## Example
 * ```ts
 * import { aimlGenerationStatuses } from 'clipstream';
 *
 * aimlGenerationStatuses.statusOf({ id: 'g', status: 'generating' }); // 'generating'
 * ```
 */
export const aimlGenerationStatuses = defineStatusModel({
  name: 'AI/ML generation',
  statuses: ['queued', 'generating', 'completed', 'error'],
  terminal: ['completed', 'error'],
  failures: ['error'],
  // The vendor's own sample code polls for these (63 of its doc pages): a job waiting in line, and one at work.
  aliases: { waiting: 'queued', active: 'generating' },
  fields: ['status'],
});

/** A canonical status of a generation at the AI/ML API's generic endpoints. */
export type AimlGenerationStatus = (typeof aimlGenerationStatuses.statuses)[number];
