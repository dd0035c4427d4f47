import { SunoApiClip } from '../../src/codecs/SunoApiClip.js';
import { SunoClip } from '../../src/codecs/SunoClip.js';
import { LumaGeneration } from '../../src/codecs/LumaGeneration.js';
import { formatErrors } from '../../src/codecs/formatErrors.js';
import sample from '../fixtures/sunoapi-clips-sample.json';

function decodeLines(codec: { decode(u: unknown): { _tag: string; left?: unknown } }, value: unknown): string[] {
  const result = codec.decode(value);
  if (result._tag === 'Right') return [];
  return formatErrors(result.left as Parameters<typeof formatErrors>[0]);
}

// A clip built from the fields seed 002 ("What is a Clip") lists, at each stage.
const completeClip = {
  id: '755f9bbb-d99b-4880-992b-f05244ddba61',
  title: 'Starry',
  status: 'complete',
  audio_url: 'https://cdn1.suno.ai/755f9bbb.mp3',
  image_url: 'https://cdn2.suno.ai/image_755f9bbb.jpeg',
  video_url: 'https://cdn1.suno.ai/755f9bbb.mp4',
  model_name: 'chirp-v3',
  created_at: '2024-07-22T07:56:36.711Z',
  metadata: {
    duration: 191,
    prompt: '[Verse]\nStars they shine above me',
    gpt_description_prompt: 'a song about stars',
    tags: 'heavy metal',
    task: 'extend',
    history: [{ id: 'm_2e584f32-7ae3-4b2d-93f6-391f65a01f15', continue_at: 48.762 }],
  },
};

describe('SunoClip (AI/ML API, seed 002)', () => {
  it('decodes a complete clip with every documented field', () => {
    expect(decodeLines(SunoClip, completeClip)).toEqual([]);
  });

  it('decodes early statuses where URLs are empty and duration is missing', () => {
    const queued = { id: 'a', status: 'queued', audio_url: '', image_url: '', video_url: '', metadata: { prompt: 'x' } };
    expect(decodeLines(SunoClip, queued)).toEqual([]);
    expect(decodeLines(SunoClip, { id: 'a', status: 'error', audio_url: 'None.mp3' })).toEqual([]);
  });

  it('accepts the spellings the documents disagree on (completed, queue) and keeps them as sent', () => {
    for (const status of ['completed', 'queue']) {
      const result = SunoClip.decode({ id: 'a', status });
      expect(result).toEqual({ _tag: 'Right', right: { id: 'a', status } });
    }
  });

  it('keeps fields the documents do not list', () => {
    const result = SunoClip.decode({ ...completeClip, play_count: 3, metadata: { ...completeClip.metadata, stream: true } });
    expect(result._tag).toBe('Right');
    if (result._tag === 'Right') {
      expect(result.right).toMatchObject({ play_count: 3, metadata: { stream: true } });
    }
  });

  it('keeps a status of a later API version (a word), and reports anything else in the field with its path', () => {
    expect(decodeLines(SunoClip, { id: 'a', status: 'paused' })).toEqual([]);
    expect(decodeLines(SunoClip, { id: 'a', status: 'paused for review' })).toEqual([
      '/status: expected "submitted" | "queued" | "streaming" | "complete" | "error" | "completed" | "queue" | (a status of a later API version) but got "paused for review"',
    ]);
  });

  it('reports nested problems with their full path, one line each', () => {
    const bad = {
      status: 'complete',
      title: 7,
      metadata: { duration: '3 min', history: [{ id: 'h', continue_at: '48s' }] },
    };
    expect(decodeLines(SunoClip, bad)).toEqual([
      '/id: expected string but got nothing',
      '/title: expected (string | null) but got 7',
      '/metadata/duration: expected (number | numeric string | null) but got "3 min"',
      '/metadata/history/0/continue_at: expected (number | null) but got "48s"',
    ]);
  });

  it('takes a duration as a number or a numeric string, a history step without continue_at, and an error_message', () => {
    const clip = {
      id: 'a',
      status: 'error',
      metadata: { duration: '191.5', history: [{ id: 'h' }], error_message: 'lyrics refused', error_type: 'moderation' },
    };
    expect(decodeLines(SunoClip, clip)).toEqual([]);
    const decoded = SunoClip.decode(clip);
    expect(decoded._tag === 'Right' && decoded.right.metadata?.error_message).toBe('lyrics refused');
    expect(decodeLines(SunoClip, { ...clip, metadata: { error_message: 5 } })).toEqual(['/metadata/error_message: expected (string | null) but got 5']);
  });
});

describe('SunoApiClip (sunoapi.com, seed 003)', () => {
  it('decodes the sample response of the documentation as it is', () => {
    for (const clip of sample.clips) expect(decodeLines(SunoApiClip, clip)).toEqual([]);
  });

  it('returns the sample clip unchanged, every field kept', () => {
    const result = SunoApiClip.decode(sample.clips[0]);
    expect(result).toEqual({ _tag: 'Right', right: sample.clips[0] });
  });

  it('checks the fields sunoapi.com adds', () => {
    const clip = { ...sample.clips[0]!, is_public: 'no', metadata: { ...sample.clips[0]!.metadata, has_vocal: 1 } };
    expect(decodeLines(SunoApiClip, clip)).toEqual([
      '/is_public: expected (boolean | null) but got "no"',
      '/metadata/has_vocal: expected (boolean | null) but got 1',
    ]);
  });
});

describe('LumaGeneration (AI/ML API)', () => {
  const generation = {
    id: 'a1b2c3',
    state: 'completed',
    failure_reason: null,
    created_at: '2024-07-22T07:56:36.711Z',
    assets: { video: 'https://storage.cdn-luma.com/a1b2c3.mp4' },
    generation_type: 'video',
    request: { prompt: 'a cat playing piano', aspect_ratio: '16:9' },
  };

  it('decodes a generation and keeps unknown fields', () => {
    expect(LumaGeneration.decode({ ...generation, version: 'v1.6' })).toEqual({
      _tag: 'Right',
      right: { ...generation, version: 'v1.6' },
    });
  });

  it('reads the state from `status` when `state` is absent, as some API examples have it', () => {
    const { state: _state, ...rest } = generation;
    expect(decodeLines(LumaGeneration, { ...rest, status: 'dreaming' })).toEqual([]);
  });

  it('reports a missing state at /state and a bad one with its value', () => {
    expect(decodeLines(LumaGeneration, { id: 'g' })).toEqual([
      '/state: expected "queued" | "dreaming" | "completed" | "failed" | (a status of a later API version) but got nothing',
    ]);
    expect(decodeLines(LumaGeneration, { id: 'g', state: 42 })).toEqual([
      '/state: expected "queued" | "dreaming" | "completed" | "failed" | (a status of a later API version) but got 42',
    ]);
  });

  it('reports bad assets with their path', () => {
    expect(decodeLines(LumaGeneration, { ...generation, assets: { video: 5 } })).toEqual([
      '/assets/video: expected (string | null) but got 5',
    ]);
  });
});
