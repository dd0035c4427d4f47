// clipstream/react's useJob in a page: the same relay, cards drawn by React.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, relay } from 'clipstream';
import { useJob } from 'clipstream/react';

// Made once, outside any component: every card's watch shares its one stream.
const client = createClient(relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' }));

function ClipCard({ id }: { id: string }) {
  const { job, status, history, error, done } = useJob(client, id);
  const audio = job && client.provider.resultUrls(job).audio;
  return (
    <section className="card" data-id={id} data-finished={String(done)}>
      <h2>{id}</h2>
      <span className="status">{status ?? '…'}</span>
      <ol>
        {history.map((seen) => (
          <li key={seen} data-status={seen}>
            {seen}
          </li>
        ))}
      </ol>
      {error && <p className="error">{error.message}</p>}
      {done && audio && <audio src={audio} controls />}
    </section>
  );
}

function App() {
  const [ids, setIds] = useState<string[]>([]);
  const [notice, setNotice] = useState('');
  const generate = () =>
    client.create({ prompt: 'a sea shanty about hooks', tags: 'sea shanty' }).then(
      (created) => setIds((known) => [...created, ...known]),
      (error: Error) => setNotice(`could not create: ${error.message}`),
    );
  return (
    <>
      <button type="button" onClick={generate}>
        Generate with React
      </button>
      <p role="status">{notice}</p>
      <main id="jobs">
        {ids.map((id) => (
          <ClipCard key={id} id={id} />
        ))}
      </main>
    </>
  );
}

createRoot(document.querySelector('#root')!).render(<App />);
