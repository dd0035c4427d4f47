// The simulator's Luma API against Luma's own OpenAPI document
// (test/fixtures/luma-openapi.yaml, from lumalabs/lumaai-api): every answer of
// every endpoint it serves is validated with ajv against the document's
// schemas (JSON Schema 2020-12, as OpenAPI 3.1 writes them), on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

const document = parse(readFileSync(join(__dirname, '..', 'fixtures', 'luma-openapi.yaml'), 'utf8')) as { components: { schemas: Record<string, unknown> } };
// OpenAPI's own keywords (discriminator, example) are not JSON Schema's: not strict; formats are not checked.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'luma', components: document.components }, 'luma');
const problems = (schema: string, value: unknown) => {
  const validate = ajv.getSchema(`luma#/components/schemas/${schema}`)!;
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
};

describe("the simulator's Luma API against Luma's OpenAPI document", () => {
  let sim: Simulator;
  let base: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
  };
  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.1, timelines: { 'luma-labs': [['queued', 0], ['dreaming', 2_000], ['completed', 6_000]] } });
    base = sim.configFor('luma-labs').baseUrl;
  });
  afterAll(() => sim.close());

  it('creates as the document says: 201, a Generation, the request kept with its aspect ratio and model', async () => {
    const created = await call('POST', '/generations/video', { prompt: 'a paper boat', model: 'ray-2', aspect_ratio: '9:16', loop: true });
    expect(created.status).toBe(201);
    expect(problems('Generation', created.body)).toEqual([]);
    expect(created.body).toMatchObject({ state: 'queued', model: 'ray-2', request: { prompt: 'a paper boat', aspect_ratio: '9:16', loop: true, model: 'ray-2' } });
    expect(created.body).not.toHaveProperty('failure_reason');
    expect(created.body).not.toHaveProperty('assets');
  });

  it('answers a Generation at every state, a failed one with its reason, a finished one with its assets', async () => {
    const { body } = await call('POST', '/generations/video', { prompt: 'a lighthouse', model: 'ray-flash-2' });
    const id = body!.id as string;
    sim.addJob('luma-labs', { id: 'doomed-0000-4000-8000-000000000000', timeline: [['queued', 0], ['failed', 500]] });
    const seen: Record<string, unknown>[] = [];
    // Dreaming from 200 ms, completed from 600 ms: reads at about 0, 300 and 750 ms, with room for a loaded machine.
    for (const wait of [0, 300, 450]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      seen.push((await call('GET', `/generations/${id}`)).body!);
    }
    expect(seen.map((generation) => generation.state)).toEqual(['queued', 'dreaming', 'completed']);
    for (const generation of seen) expect(problems('Generation', generation)).toEqual([]);
    expect(seen[2]).toMatchObject({ assets: { video: expect.stringMatching(/\.mp4$/) } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const failed = (await call('GET', '/generations/doomed-0000-4000-8000-000000000000')).body!;
    expect(problems('Generation', failed)).toEqual([]);
    expect(failed).toMatchObject({ state: 'failed', failure_reason: expect.any(String) });
  });

  it('lists generations newest first as a ListGenerationResponse, with limit and offset', async () => {
    await call('POST', '/generations/video', { model: 'ray-2', prompt: 'newest' });
    const page = await call('GET', '/generations?limit=2&offset=0');
    expect(page.status).toBe(200);
    expect(problems('ListGenerationResponse', page.body)).toEqual([]);
    expect(page.body).toMatchObject({ count: 2, limit: 2, offset: 0, has_more: true });
    expect((page.body!.generations as Array<{ request: { prompt?: string } }>)[0]!.request.prompt).toBe('newest');
    const rest = await call('GET', '/generations?offset=2');
    expect(rest.body).toMatchObject({ offset: 2, has_more: false });
    expect(problems('ListGenerationResponse', rest.body)).toEqual([]);
    expect((await call('GET', '/generations?limit=-1')).status).toBe(400);
  });

  it('deletes with 204, then answers 404 with an Error ({ detail }), as it does for a create it refuses', async () => {
    const { body } = await call('POST', '/generations/video', { model: 'ray-2' });
    const id = body!.id as string;
    expect(await call('DELETE', `/generations/${id}`)).toEqual({ status: 204, body: undefined });
    const gone = await call('GET', `/generations/${id}`);
    expect(gone.status).toBe(404);
    expect(problems('Error', gone.body)).toEqual([]);
    for (const refused of [{ prompt: 'no model' }, { model: 'ray-9' }, { model: 'ray-2', aspect_ratio: '5:4' }]) {
      const answer = await call('POST', '/generations/video', refused);
      expect({ refused, status: answer.status, problems: problems('Error', answer.body) }).toEqual({ refused, status: 400, problems: [] });
    }
  });
});
