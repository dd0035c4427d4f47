// The page: creates jobs through the relay and shows a live card per job.
// No key anywhere: the relay on this page's server holds it.
import { createClient, relay, type AnyProvider, type Client } from 'clipstream';

const clients: Record<string, Client<AnyProvider>> = {
  'aiml-suno': createClient(relay({ baseUrl: '/api/clipstream', api: 'aiml-suno' })),
  'luma-labs': createClient(relay({ baseUrl: '/api/clipstream', api: 'luma-labs' })),
};
const inputs: Record<string, (prompt: string) => unknown> = {
  'aiml-suno': (prompt) => ({ prompt, tags: 'sea shanty' }),
  'luma-labs': (prompt) => ({ prompt, model: 'ray-2' }),
};

const titles: Record<string, string> = { 'aiml-suno': 'Suno (AI/ML API)', 'luma-labs': 'Luma Dream Machine' };

const form = document.querySelector<HTMLFormElement>('#create')!;
const jobs = document.querySelector<HTMLElement>('#jobs')!;
const notice = document.querySelector<HTMLElement>('#notice')!;
const empty = document.querySelector<HTMLElement>('#empty')!;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const api = String(data.get('api'));
  const prompt = String(data.get('prompt'));
  const client = clients[api]!;
  notice.textContent = 'creating…';
  client
    .create(inputs[api]!(prompt) as never)
    .then((ids) => {
      notice.textContent = `created ${ids.length} job${ids.length === 1 ? '' : 's'} at ${titles[api]}`;
      empty.hidden = true;
      for (const id of ids) follow(client, id, { api: titles[api]!, prompt });
    })
    .catch((error: Error) => (notice.textContent = `could not create: ${error.message}`));
});

/** A card for one job, updated on each transition until its last: what was asked, where, how far, how long, why it failed, the result. */
function follow(client: Client<AnyProvider>, id: string, asked: { api: string; prompt: string }): void {
  const card = element('section', { class: 'card', 'data-id': id });
  const status = element('span', { class: 'status' }, '…');
  const elapsed = element('span', { class: 'elapsed' });
  // The steps of a job that goes well: the progress bar has one cell per status that is not a failure.
  const steps = client.statuses.statuses.filter((name) => !client.statuses.isFailure(name));
  const bar = element('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(steps.length) });
  const cells = steps.map((name) => bar.appendChild(element('span', { title: name })));
  const history = element('ol');
  const reason = element('p', { class: 'reason', hidden: '' });
  const media = element('div', { class: 'media' });
  card.append(
    element('h2', {}, asked.prompt),
    element('p', { class: 'meta' }, asked.api, ' · ', element('code', { title: id }, id.length > 13 ? `${id.slice(0, 12)}…` : id)),
    bar,
    element('p', { class: 'line' }, status, ' ', elapsed),
    reason,
    media,
    element('details', {}, element('summary', {}, 'transitions'), history),
  );
  jobs.prepend(card);

  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const clock = setInterval(() => (elapsed.textContent = seconds()), 100);

  client.watch(id).subscribe({
    next: (job) => {
      const name = client.statusOf(job);
      const kind = client.statuses.isFailure(name) ? 'failed' : client.statuses.isTerminal(name) ? 'done' : 'running';
      status.textContent = name;
      status.dataset.kind = kind;
      card.dataset.status = name;
      card.dataset.kind = kind;
      const reached = steps.indexOf(name);
      if (reached >= 0) {
        cells.forEach((cell, index) => cell.classList.toggle('reached', index <= reached));
        bar.setAttribute('aria-valuenow', String(reached + 1));
      }
      history.append(element('li', { 'data-status': name }, `${name} at ${seconds()}`));
      if (kind === 'failed') {
        reason.hidden = false;
        reason.textContent = client.provider.failureReason(job) ?? 'the API gave no reason';
      }
      showMedia(media, client.provider.resultUrls(job), kind);
    },
    error: (error: Error) => {
      clearInterval(clock);
      card.dataset.status = 'watch-failed';
      reason.hidden = false;
      reason.classList.add('error');
      reason.textContent = `could not follow it: ${error.name}: ${error.message}`;
    },
    complete: () => {
      clearInterval(clock);
      elapsed.textContent = `in ${seconds()}`;
      card.dataset.finished = 'true';
    },
  });
}

/** The player for what the job made: audio for a song (a stream while it is made), else the video. */
function showMedia(media: HTMLElement, urls: { audio?: string; video?: string; image?: string; stream?: string }, kind: string): void {
  const audio = kind === 'done' ? urls.audio : (urls.stream ?? urls.audio);
  if (audio) {
    if (media.querySelector('audio')?.getAttribute('src') !== audio) media.replaceChildren(element('audio', { src: audio, controls: '', preload: 'auto' }));
  } else if (urls.video && !media.querySelector('video')) {
    media.replaceChildren(element('video', { src: urls.video, controls: '', muted: '', loop: '', playsinline: '', ...(urls.image ? { poster: urls.image } : {}) }));
  }
}

function element(tag: string, attributes: Record<string, string> = {}, ...children: Array<string | Node>): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
