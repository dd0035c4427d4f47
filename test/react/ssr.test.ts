// clipstream/react on a server: importing it touches no window, and server
// rendering starts no watch (effects never run there), so nothing is fetched.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { aimlSuno, createClient } from '../../src/index.js';
import { jsonResponse, scriptedTransport, sunoClip } from '../../src/testing/index.js';
import { useJob, useJobs } from '../../src/react/index.js';

describe('clipstream/react during server rendering', () => {
  it('has no window to touch, renders the empty state, and sends no request', () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const transport = scriptedTransport(() => jsonResponse(sunoClip('a', 'complete')));
    const client = createClient(aimlSuno({ apiKey: 'test-key' }), { transport });
    function Page() {
      const one = useJob(client, 'a');
      const many = useJobs(client, ['a', 'b']);
      return createElement('p', null, `${one.status ?? 'waiting'} ${many.map((job) => `${job.id}:${job.status ?? '…'}`).join(',')}`);
    }
    expect(renderToString(createElement(Page))).toBe('<p>waiting a:…,b:…</p>');
    expect(transport.requests).toHaveLength(0);
  });
});
