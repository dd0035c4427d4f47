import type { TypicalDurations } from '../polling/PollingLearner.js';

// How long each status usually lasts, [low, high] in ms: where learned polling
// starts before it has seen a job. The seed documents say only that a job ends
// "in seconds or a few minutes"; these ranges are the simulator's lives
// (docs/simulator.md), an assumption, not a vendor's figure. A client learns
// the real ones within a few jobs.

/** Suno clips: submitted for 1–4 s, queued for 5–40 s, streaming for 30–120 s. */
export const sunoDurations: TypicalDurations = { submitted: [1_000, 4_000], queued: [5_000, 40_000], streaming: [30_000, 120_000] };

/** Luma generations: queued for 5–60 s, dreaming for 30–180 s. */
export const lumaDurations: TypicalDurations = { queued: [5_000, 60_000], dreaming: [30_000, 180_000] };

/** The AI/ML API's generic generations: queued for 5–60 s, generating for 30–180 s. */
export const aimlGenerationDurations: TypicalDurations = { queued: [5_000, 60_000], generating: [30_000, 180_000] };
