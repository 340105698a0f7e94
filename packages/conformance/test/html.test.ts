/**
 * Opens the HTML report in headless Chromium (Debian's, via playwright-core, which never
 * downloads a browser) and checks what a person sees there.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtmlReport } from '../src/reporters/index.js';
import { openrouterReport } from './fixtures/report-openrouter.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LIFECYCLE_JOB = 'vg_8fK2pQx7LmN4rT1sZa9b';

describe.skipIf(!hasChromium)(
  `HTML report in headless Chromium${hasChromium ? '' : ' (skipped: Chromium not installed (.ci/run installs it from Debian))'}`,
  () => {
    let dir: string;
    let fileUrl: string;
    let browser: Browser;
    let page: Page;
    const requests: string[] = [];
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'reelkit-html-'));
      const file = join(dir, 'report.html');
      await writeFile(file, formatHtmlReport(openrouterReport));
      fileUrl = pathToFileURL(file).href;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      await page.goto(fileUrl, { waitUntil: 'load' });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('loads nothing but the file itself and logs no errors', async () => {
      // Give late loads (fonts, images, favicons) a moment to show up.
      await page.waitForTimeout(200);
      expect(requests).toEqual([fileUrl]);
      expect(consoleErrors).toEqual([]);
      expect(await page.locator('script, img, link, iframe, object').count()).toBe(0);
    });

    it('shows the verdict and the summary counts at the top', async () => {
      expect(await page.title()).toBe('reelkit conformance · OpenRouter · FAILED (2)');
      expect(await page.locator('h1').innerText()).toBe('Conformance report: OpenRouter');
      expect(await page.locator('.verdict').innerText()).toBe('FAILED');
      expect(await page.locator('.counts').innerText()).toBe('2 failed 7 passed 2 skipped');
      const meta = await page.locator('.report-header .meta').innerText();
      expect(meta).toContain('http://127.0.0.1:4010/api/v1');
      expect(meta).toContain('reelkit mock (control plane /__reelkit/)');
      const firstScreen = await page.locator('.counts').boundingBox();
      expect(firstScreen?.y).toBeLessThan(400);
    });

    it('groups checks by operation with pass, fail and skip badges', async () => {
      const operations = page.locator('section.operation');
      expect(await operations.evaluateAll((els) => els.map((e) => e.id))).toEqual([
        'op-createVideos',
        'op-getVideos',
        'op-listVideosContent',
        'op-listVideosModels',
        'op-webhooks',
      ]);
      expect(await page.locator('#op-getVideos h2').innerText()).toContain(
        'GET /api/v1/videos/{jobId}',
      );
      const badges = await page.locator('.check .badge').allInnerTexts();
      expect(badges.filter((b) => b === 'PASS')).toHaveLength(7);
      expect(badges.filter((b) => b === 'FAIL')).toHaveLength(2);
      expect(badges.filter((b) => b === 'SKIP')).toHaveLength(2);
    });

    it("shows a failing check's rule, observation, curl and response without a click", async () => {
      const check = page.locator('li.check.fail[data-check-id="getVideos: lifecycle legal"]');
      const rule = check.locator('.rule');
      expect(await rule.isVisible()).toBe(true);
      expect(await rule.innerText()).toContain(
        "Every observed status sequence is legal for OpenRouter's lifecycle",
      );
      expect(await check.locator('.message').innerText()).toContain(
        "'pending' cannot follow 'in_progress'",
      );
      const curl = check.locator('pre.curl').first();
      expect(await curl.isVisible()).toBe(true);
      expect(await curl.innerText()).toBe(
        `curl -sS -X GET 'http://127.0.0.1:4010/api/v1/videos/${LIFECYCLE_JOB}' \\\n  -H "Authorization: Bearer $API_KEY"`,
      );
      const response = check.locator('.exchange').first();
      expect(await response.locator('.http-status').innerText()).toBe('HTTP 200');
      expect(await response.locator('table.headers').innerText()).toContain('content-type');
      expect(await response.locator('pre.body').innerText()).toContain('"status": "completed"');
    });

    it("shows a server's HTML answer as text, never as markup", async () => {
      const check = page.locator('li.check.fail[data-check-id^="createVideos: error envelope"]');
      expect(await check.locator('.http-status').innerText()).toBe('HTTP 500');
      expect(await check.locator('pre.body').innerText()).toContain(
        '<script>alert("pwned")</script>',
      );
      expect(await check.locator('pre.curl').innerText()).toContain(
        `--data-raw '{"model":"acme/no-such-model","prompt":"x"}'`,
      );
    });

    it('keeps passing checks folded and shows why a check was skipped', async () => {
      const passing = page.locator('li.check.pass').first();
      expect(await passing.locator('.check-id').isVisible()).toBe(true);
      expect(await passing.locator('.rule').isVisible()).toBe(false);
      const skipped = page.locator('li.check.skip[data-check-id="webhooks: signature verifies"]');
      expect(await skipped.locator('summary .reason').isVisible()).toBe(true);
      expect(await skipped.locator('summary .reason').innerText()).toContain('--webhook-port');
    });

    it('lists the failures first, each linking to its check', async () => {
      const links = page.locator('.failure-index a');
      expect(await links.allInnerTexts()).toEqual([
        'createVideos: error envelope for an unknown model',
        'getVideos: lifecycle legal',
      ]);
      await links.nth(1).click();
      expect(page.url()).toBe(`${fileUrl}#check-5`);
    });

    it("draws each job's timeline: one band per status, the illegal step, the terminal marker", async () => {
      const figure = page.locator(`section.jobs figure[data-job-id="${LIFECYCLE_JOB}"]`);
      const svg = figure.locator('svg.timeline');
      expect(await svg.isVisible()).toBe(true);
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(600);
      expect(box?.height).toBeGreaterThan(50);

      const bands = svg.locator('rect.band');
      expect(
        await bands.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
      ).toEqual(['pending', 'in_progress', 'pending', 'in_progress', 'completed']);
      // Each band is painted, left to right, in its status colour.
      const painted = await bands.evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { x: r.x, width: r.width, fill: getComputedStyle(e).fill };
        }),
      );
      for (const [i, band] of painted.entries()) {
        expect(band.width).toBeGreaterThan(20);
        if (i > 0) expect(band.x).toBeGreaterThan(painted[i - 1]?.x ?? 0);
      }
      expect(painted[0]?.fill).toBe(painted[2]?.fill); // both pending
      expect(new Set(painted.map((b) => b.fill)).size).toBe(3);
      expect(await svg.locator('text.band-label').allTextContents()).toEqual([
        'pending',
        'in_progress',
        'pending',
        'in_progress',
        'completed',
      ]);

      expect(await svg.locator('g.terminal-marker').count()).toBe(1);
      expect(await svg.locator('g.terminal-marker').getAttribute('data-status')).toBe('completed');
      expect(await svg.locator('g.terminal-marker text').textContent()).toBe('completed at 10.5 s');
      expect(await svg.locator('g.illegal-transition').count()).toBe(1);
      expect(await svg.locator('circle.observation').count()).toBe(8);
      const ticks = await svg.locator('text.tick').allTextContents();
      expect(ticks).toEqual(['0', '2 s', '4 s', '6 s', '8 s', '10 s']);
      expect(await figure.locator('.sequence').innerText()).toContain(
        "pending at 6.0 s (illegal: 'pending' cannot follow 'in_progress')",
      );

      const other = page.locator('section.jobs figure[data-job-id="vg_3Hq9Wm2Xc5Ve8Rt6Yu1i"]');
      expect(await other.locator('rect.band').count()).toBe(2);
      expect(await other.locator('g.terminal-marker').getAttribute('data-status')).toBe('failed');
      expect(await other.locator('g.illegal-transition').count()).toBe(0);
      // The failing check shows its own job's picture too.
      expect(
        await page
          .locator('li.check[data-check-id="getVideos: lifecycle legal"] svg.timeline rect.band')
          .count(),
      ).toBe(5);
    });

    it('can hide everything but the failures, without a script', async () => {
      await page.locator('#only-failures').check();
      const visible = await page
        .locator('li.check')
        .evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
      expect(visible).toBe(2);
      expect(await page.locator('#op-webhooks').isVisible()).toBe(false);
      await page.locator('#only-failures').uncheck();
      expect(await page.locator('#op-webhooks').isVisible()).toBe(true);
    });
  },
);
