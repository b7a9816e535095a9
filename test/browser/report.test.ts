/**
 * The run report in a real browser: the page renders with no error and no request, draws its
 * charts, shows the data's numbers, and stays small at 100,000 jobs. Without Chromium the tier is
 * skipped with a banner, unless REQUIRE_BROWSER=1 (then that is a failure).
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { loadReportData } from '../../cli/report/load-report-data.js';
import { renderReport } from '../../cli/report/index.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { startEmbeddedBackend } from '../helpers/backends.js';
import { scratchDir } from '../helpers/scratch.js';
import { openTestStore } from '../helpers/store.js';
import type { ReportData } from '../../cli/report/report-data.js';
import { findChromium, launchChromium, skippedBanner, type Chromium } from '../helpers/chromium.js';
import { reportDataFactory } from '../helpers/report-data-factory.js';

const executable = findChromium();
const required = process.env.REQUIRE_BROWSER === '1';
if (!executable) skippedBanner(`No Chromium at CHROMIUM_PATH or /usr/bin/chromium${required ? ' — and REQUIRE_BROWSER=1' : ''}.`);

describe.runIf(!executable && required)('browser tier', () => {
  it('fails if no Chromium is found under REQUIRE_BROWSER=1', () => {
    expect.fail('REQUIRE_BROWSER=1 but no Chromium was found: run scripts/install-chromium.sh or set CHROMIUM_PATH');
  });
});

/**
 * The little of the DOM the page functions below touch. Declared here, module-scoped, rather than
 * adding the DOM library to the whole test program (where Node code would then see `window`).
 */
type Dataset = Record<string, string | undefined>;
type Canvas = { width: number; height: number; dataset: Dataset; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
declare const document: { getElementById(id: string): unknown; documentElement: { dataset: Dataset } };

type Opened = { page: Page; url: string; requests: string[]; errors: string[] };

describe.skipIf(!executable)('run report in Chromium', () => {
  let browser: Chromium;
  let dir: string;
  const generatedAt = new Date(Date.UTC(2026, 10, 29, 15));

  beforeAll(async () => {
    dir = await scratchDir('report-');
    browser = await launchChromium(executable!);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(data: ReportData, name: string): Promise<Opened & { path: string }> {
    const path = join(dir, name);
    await writeFile(path, renderReport(data, { generatedAt }));
    const page = await browser.context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    const url = pathToFileURL(path).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset.drawnMs !== undefined);
    return { page, url, requests, errors, path };
  }

  describe('a real 10,000-job local run with failures', () => {
    let opened: Opened;
    let stored: { ok: number; failed: number; missing: number; duplicates: number; conflicts: number; jobs: number };

    beforeAll(async () => {
      // Prepare: every tenth job fails; the run goes through the embedded server and local workers into a store.
      const backend = await startEmbeddedBackend();
      const { store } = await openTestStore('report-run-');
      try {
        const target = await backend.target();
        const workers = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1, concurrency: 2 });
        const inputs = Array.from({ length: 10_000 }, (_, i) => (i % 10 === 3 ? `job ${i} failed on purpose` : { fail: false, value: i }));
        const { run } = await dispatch({ target, store, task: 'fail', inputs });
        await collect({ target, store, run, timeoutMs: 120_000 });
        await workers.stop({ abort: true });
        const record = store.requireRun(run);
        stored = { ...record.counts, missing: record.jobs! - record.counts.done, jobs: record.jobs! };
        opened = await open(loadReportData(store, run), 'report-real-10000.html');
      } finally {
        store.close();
        await backend.stop();
      }
    }, 180_000);

    it('shows the store\'s numbers, with no console error and no request', async () => {
      // Act
      const shown = await opened.page.$$eval('.stats [data-stat]', (elements) =>
        Object.fromEntries(elements.map((element) => [(element as unknown as { dataset: Dataset }).dataset.stat!, Number((element as unknown as { dataset: Dataset }).dataset.value)])),
      );
      // Assess
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([opened.url]);
      expect(stored).toMatchObject({ jobs: 10_000, ok: 9_000, failed: 1_000, missing: 0 });
      for (const key of ['jobs', 'ok', 'failed', 'missing', 'duplicates', 'conflicts'] as const) expect(shown[key], key).toBe(stored[key]);
    });

    it('draws its timeline and histogram, and takes a screenshot', async () => {
      // Act
      const bars = await opened.page.locator('svg.histogram rect').count();
      const timeline = await opened.page.locator('#timeline').evaluate((canvas) => {
        const c = canvas as unknown as Canvas;
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
        return painted;
      });
      const path = join(dir, 'report-real-10000.png');
      await opened.page.screenshot({ path, fullPage: true });
      // Assess
      expect(bars).toBeGreaterThan(3);
      expect(timeline).toBeGreaterThan(1000);
      expect((await stat(path)).size).toBeGreaterThan(10_000);
      process.stderr.write(`[browser] report of a real 10,000-job run: screenshot ${path}\n`);
    });
  });

  describe('10,000 jobs, failures, retries, 24 workers', () => {
    const data = reportDataFactory({ jobs: 10_000, seed: 13 });
    let opened: Opened;

    beforeAll(async () => {
      opened = await open(data, 'report-10000.html');
    });

    it('renders with no console error and no request but the page itself', () => {
      // Assess
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([opened.url]);
    });

    it('shows the data\'s numbers in the summary', async () => {
      // Prepare: the expected figures, worked out here from the data itself
      const starts = data.jobs.map((job) => job.startedAt!).filter((t) => t !== null);
      const wallMs = Math.max(...data.jobs.map((job) => job.receivedAt)) - Math.min(...starts);
      const expected = {
        jobs: 10_000,
        ok: data.counts.ok,
        failed: data.counts.failed,
        missing: data.counts.missing,
        duplicates: data.counts.duplicates,
        conflicts: data.counts.conflicts,
        retries: data.jobs.filter((job) => (job.attempt ?? 1) > 1).length,
        'wall-ms': wallMs,
        'jobs-per-second': (data.counts.ok + data.counts.failed) / (wallMs / 1000),
      };
      // Act
      const shown = await opened.page.$$eval('.stats [data-stat]', (elements) =>
        // Inline: this function runs in the page, where nothing from this module exists.
        Object.fromEntries(elements.map((element) => [(element as unknown as { dataset: Dataset }).dataset.stat!, Number((element as unknown as { dataset: Dataset }).dataset.value)])),
      );
      // Assess
      expect(expected.failed).toBeGreaterThan(100);
      expect(expected.retries).toBeGreaterThan(0);
      expect(expected.missing).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(expected)) expect(shown[key], key).toBeCloseTo(value, 6);
      expect(shown.ok! + shown.failed! + shown.missing!).toBe(shown.jobs);
    });

    it('draws the timeline with ok and failed jobs, and the concurrency chart', async () => {
      // Act: count the pixels of each colour on the canvases
      const colours = (id: string) =>
        opened.page.evaluate((canvasId) => {
          const canvas = document.getElementById(canvasId) as Canvas;
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          const near = (i: number, [r, g, b]: number[]) => Math.abs(pixels[i]! - r!) + Math.abs(pixels[i + 1]! - g!) + Math.abs(pixels[i + 2]! - b!) < 30;
          let painted = 0, ok = 0, failed = 0;
          for (let i = 0; i < pixels.length; i += 4) {
            if (pixels[i + 3] === 0) continue;
            painted++;
            if (near(i, [0x00, 0x72, 0xb2])) ok++;
            if (near(i, [0xd5, 0x5e, 0x00])) failed++;
          }
          return { painted, ok, failed, total: pixels.length / 4 };
        }, id);
      const timeline = await colours('timeline');
      const concurrency = await colours('concurrency');
      // Assess
      expect(timeline.ok).toBeGreaterThan(timeline.total * 0.1);
      expect(timeline.failed).toBeGreaterThan(100);
      expect(concurrency.painted).toBeGreaterThan(concurrency.total * 0.05);
    });

    it('draws the duration histogram with p50, p95 and p99 marked', async () => {
      // Prepare
      const sorted = data.jobs.map((job) => job.ms).sort((a, b) => a - b);
      const rank = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1];
      // Act
      const bars = await opened.page.locator('svg.histogram rect').count();
      const percentiles = await opened.page.$$eval('[data-stat="p50"], [data-stat="p95"], [data-stat="p99"]', (elements) =>
        // Inline: this function runs in the page, where nothing from this module exists.
        Object.fromEntries(elements.map((element) => [(element as unknown as { dataset: Dataset }).dataset.stat!, Number((element as unknown as { dataset: Dataset }).dataset.value)])),
      );
      // Assess
      expect(bars).toBeGreaterThan(10);
      expect(percentiles).toEqual({ p50: rank(50), p95: rank(95), p99: rank(99) });
    });

    it('zooms in on a drag until single jobs show, and names the job under the pointer', async () => {
      // Prepare
      const box = (await opened.page.locator('#timeline').boundingBox())!;
      // Act: drag across a thin slice of the first lane's busy stretch
      const y = box.y + 16 + 6;
      await opened.page.mouse.move(box.x + 400, y);
      await opened.page.mouse.down();
      await opened.page.mouse.move(box.x + 420, y, { steps: 4 });
      await opened.page.mouse.up();
      const zoomed = await opened.page.locator('#timeline').evaluate((canvas) => ({ ...(canvas as unknown as Canvas).dataset }));
      await opened.page.mouse.move(box.x + 600, y);
      const tip = await opened.page.locator('#tooltip').textContent();
      // Assess
      expect(Number(zoomed.bars)).toBeGreaterThan(0);
      expect(zoomed.denseLanes).toBe('0');
      expect(tip).toMatch(/^(job \d+|.+\n\d+ jobs on this worker)/);
      // Reset for the screenshot
      await opened.page.locator('#zoom-reset').click();
      expect(await opened.page.locator('#zoom-reset').isDisabled()).toBe(true);
    });

    it('takes a screenshot', async () => {
      // Act
      const path = join(dir, 'report-10000.png');
      await opened.page.screenshot({ path, fullPage: true });
      // Assess
      expect((await stat(path)).size).toBeGreaterThan(10_000);
      const size = (await stat(join(dir, 'report-10000.html'))).size;
      process.stderr.write(`[browser] 10,000-job report: ${(size / 1024).toFixed(0)} KB; screenshot: ${path}\n`);
      // REPORT_SCREENSHOT=docs/report.png remakes the README's picture: the page down to the histogram.
      const docs = process.env.REPORT_SCREENSHOT;
      if (docs) {
        const histogram = (await opened.page.locator('svg.histogram').boundingBox())!;
        await opened.page.screenshot({ path: docs, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(histogram.y + histogram.height + 8) }, fullPage: true });
        process.stderr.write(`[browser] screenshot for the docs: ${docs} (${((await stat(docs)).size / 1024).toFixed(0)} KB)\n`);
      }
    });
  });

  it('keeps a 100,000-job report under 5 MB, and reports its first paint', async () => {
    // Prepare
    const data = reportDataFactory({ jobs: 100_000, seed: 21, medianJobMs: 4 });
    // Act
    const opened = await open(data, 'report-100000.html');
    const size = (await stat(opened.path)).size;
    const timing = await opened.page.evaluate(() => ({
      firstPaint: performance.getEntriesByName('first-paint')[0]?.startTime ?? null,
      drawn: Number(document.documentElement.dataset.drawnMs),
    }));
    // Assess: size only; time is measured and printed, not asserted
    expect(size).toBeLessThan(5 * 1024 * 1024);
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([opened.url]);
    process.stderr.write(
      `[browser] 100,000-job report: ${(size / 1024 / 1024).toFixed(2)} MB; first paint ${timing.firstPaint?.toFixed(0) ?? '?'} ms, charts drawn ${timing.drawn.toFixed(0)} ms after navigation\n`,
    );
  });
});
