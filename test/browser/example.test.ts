import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startExample, type Example } from '../../examples/browser/server.js';
import { keyEchoes } from '../support/keyLeaks.js';
import { recordResponse } from '../support/relayServer.js';
import { describeWith } from '../support/systemProgram.js';

// examples/browser end to end in real Chromium (Debian's, which .ci/run
// installs): the page creates jobs through the relay and shows every
// transition, and nothing the page gets holds the key. The screenshot is the
// CI artefact: artifacts/browser-example.png.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = join(__dirname, '..', '..', 'artifacts');
const describeInChromium = describeWith('Chromium', 'chromium', executablePath);

describeInChromium('examples/browser in Chromium', () => {
  let example: Example;
  let browser: Browser;
  let page: Page;
  /** Every byte the example's server sent to the page, headers included. */
  const sent: Buffer[] = [];
  const requests: string[] = [];

  function record(req: IncomingMessage, res: ServerResponse): void {
    requests.push(`${req.method} ${req.url}`);
    recordResponse(res, sent);
  }

  beforeAll(async () => {
    // Each simulated step takes 0.4-1.2 s here: slow enough to see, quick enough to test.
    example = await startExample({ timeScale: 0.08, tap: record });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'] });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await example?.close();
  });

  /** The statuses of `lifecycle` from `first` on (all of them when `first` is not one). */
function runFrom(first: string | null | undefined, lifecycle: readonly string[]): string[] {
  return lifecycle.slice(Math.max(0, lifecycle.indexOf(first ?? '')));
}

/** `history` is a contiguous run of `lifecycle` to its end, starting at one of its first two statuses. */
function isRisingRunToEnd(history: readonly string[], lifecycle: readonly string[]): boolean {
  return lifecycle.slice(0, 2).includes(history[0] ?? '') && history.join() === runFrom(history[0], lifecycle).join();
}

/** The statuses each card shows, by job id, once every card has finished. */
  async function finishedCards(count: number): Promise<Record<string, string[]>> {
    await page.waitForFunction((n) => document.querySelectorAll('.card[data-finished="true"]').length >= n, count, { timeout: 20_000 });
    return page.$$eval('.card', (cards) =>
      Object.fromEntries(cards.map((card) => [card.getAttribute('data-id')!, [...card.querySelectorAll('li')].map((item) => item.getAttribute('data-status')!)])),
    );
  }

  it('creates two Suno clips and a Luma video through the relay, shows every transition, then plays the media', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(example.url);
    await page.click('button[type=submit]');
    await page.waitForSelector('.card');
    await page.selectOption('select[name=api]', 'luma-labs');
    await page.fill('input[name=prompt]', 'a cat at a piano');
    await page.click('button[type=submit]');

    const cards = await finishedCards(3);
    const histories = Object.values(cards);
    expect(histories).toHaveLength(3);
    // The first status a card shows depends on how soon after the create the relay first looks (a short
    // first status can pass on a loaded machine); from there on, every status follows to the end.
    expect(histories.filter((history) => isRisingRunToEnd(history, ['submitted', 'queued', 'streaming', 'complete']))).toHaveLength(2);
    expect(histories.filter((history) => isRisingRunToEnd(history, ['queued', 'dreaming', 'completed']))).toHaveLength(1);

    // The players got real media from the simulator: the audio and the video decoded far enough to know their length.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLMediaElement>('audio, video')].every((media) => media.readyState >= 1), undefined, { timeout: 10_000 });
    const media = await page.$$eval('audio, video', (elements) => elements.map((element) => ({ tag: element.tagName, duration: (element as HTMLMediaElement).duration })));
    expect(media.filter((item) => item.tag === 'AUDIO')).toHaveLength(2);
    expect(media.filter((item) => item.tag === 'VIDEO')).toHaveLength(1);
    for (const item of media) expect(item.duration).toBeGreaterThan(0);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'browser-example.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('shows on each card its prompt, its API, a full progress bar once done, and the time it took', async () => {
    const cards = await page.$$eval('.card', (all) =>
      all.map((card) => ({
        prompt: card.querySelector('h2')?.textContent,
        meta: card.querySelector('.meta')?.textContent,
        progress: [card.querySelector('.progress')?.getAttribute('aria-valuenow'), card.querySelector('.progress')?.getAttribute('aria-valuemax')],
        elapsed: card.querySelector('.elapsed')?.textContent,
      })),
    );
    expect(cards).toEqual([
      { prompt: 'a cat at a piano', meta: expect.stringMatching(/^Luma Dream Machine · \S+$/), progress: ['3', '3'], elapsed: expect.stringMatching(/^in \d+\.\d s$/) },
      ...[1, 2].map(() => ({ prompt: 'a sea shanty about long-polls', meta: expect.stringMatching(/^Suno \(AI\/ML API\) · \S+$/), progress: ['4', '4'], elapsed: expect.stringMatching(/^in \d+\.\d s$/) })),
    ]);
    expect(await page.isHidden('#empty')).toBe(true);
  });

  it('shows a failed job\'s reason on its card, with the progress bar where it stopped', async () => {
    // dreaming lasts 2 s here, four polls of the example's 500 ms: the card always sees it.
    const failing = await startExample({ timeScale: 0.08, timelines: { 'luma-labs': [['queued', 0], ['dreaming', 4_000], ['failed', 30_000]] } });
    const other = await browser.newPage();
    try {
      await other.goto(failing.url);
      expect(await other.isVisible('#empty')).toBe(true);
      await other.selectOption('select[name=api]', 'luma-labs');
      await other.click('button[type=submit]');
      await other.waitForSelector('.card[data-finished="true"]', { timeout: 20_000 });
      const card = await other.$eval('.card', (element) => ({
        status: element.getAttribute('data-status'),
        reason: element.querySelector('.reason')?.textContent,
        reasonShown: !(element.querySelector('.reason') as HTMLElement).hidden,
        reached: element.querySelectorAll('.progress span.reached').length,
      }));
      expect(card).toEqual({ status: 'failed', reason: expect.stringMatching(/\S/), reasonShown: true, reached: 2 });
      expect(card.reason).not.toBe('the API gave no reason');
    } finally {
      await other.close();
      await failing.close();
    }
  }, 60_000);

  it('useJob (clipstream/react) renders each transition of both clips, and the player once done', async () => {
    const react = await browser.newPage();
    await react.goto(`${example.url}react`);
    await react.click('button');
    await react.waitForFunction(() => document.querySelectorAll('.card[data-finished="true"]').length === 2, undefined, { timeout: 20_000 });
    const histories = await react.$$eval('.card', (cards) => cards.map((card) => [...card.querySelectorAll('li')].map((item) => item.getAttribute('data-status'))));
    expect(histories).toHaveLength(2);
    for (const history of histories) {
      expect(['submitted', 'queued']).toContain(history[0]);
      expect(history).toEqual(runFrom(history[0], ['submitted', 'queued', 'streaming', 'complete']));
    }
    expect(await react.$$eval('.card audio', (players) => players.length)).toBe(2);
    await react.screenshot({ path: join(artifacts, 'browser-example-react.png'), fullPage: true });
    await react.close();
  }, 60_000);

  it('never gives the page the key: not in its HTML, its script, its storage, or any byte the server sent', async () => {
    const forms = keyEchoes(example.apiKey);
    const everything = Buffer.concat(sent).toString('latin1');
    // What the page got: the page, its script, the relay's streams and answers.
    expect(requests).toEqual(expect.arrayContaining(['GET /', 'GET /app.js', 'GET /react.js', 'POST /api/clipstream/create?api=aiml-suno', 'POST /api/clipstream/create?api=luma-labs']));
    expect(everything).toContain('"status":"complete"');
    const inPage = await page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    const script = (await (await fetch(`${example.url}app.js`)).text()) + (await (await fetch(`${example.url}react.js`)).text());
    for (const form of forms) {
      expect(everything).not.toContain(form);
      expect(inPage).not.toContain(form);
      expect(script).not.toContain(form);
    }
  });
});
