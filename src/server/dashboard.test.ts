/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../data/config.js';
import { importPaths } from '../data/ingest/import.js';
import { Store } from '../data/store/store.js';
import { generateBrief } from '../report/publish.js';
import type { TradingDate } from '../shared/brand.js';
import { BRIEF_FILES, WHY_EXAMPLE } from '../../test/support/brief-store.js';
import { describeWithSharedData, SHARED_DATA } from '../../test/support/shared-data.js';
import { tempDir } from '../../test/support/tmp.js';
import { createApp } from './app.js';
import { listen, type Listening } from './listen.js';

const CHROMIUM = '/usr/bin/chromium';

describeWithSharedData('the dashboard in Chromium (playwright-core, headless)', () => {
  let server: Listening;
  let browser: Browser;
  let store: Store;
  let publishStore: Store;
  // ROTATION_SCREENSHOTS keeps the screenshots (for a person to look at); by default a temp folder.
  const shots = process.env['ROTATION_SCREENSHOTS'] ?? tempDir('dashboard-shots-');
  beforeAll(async () => {
    const dir = tempDir('dashboard-');
    const db = join(dir, 'store.duckdb');
    const briefs = join(dir, 'briefs');
    const w = await Store.open(db);
    try {
      const out = await importPaths(w, [...BRIEF_FILES.map((f) => join(SHARED_DATA, f)), WHY_EXAMPLE], {
        today: '2026-11-24',
      });
      if (out.some((o) => !o.ok)) throw new Error('import failed');
      await generateBrief(w, { asOf: '2026-01-12' as TradingDate, outDir: briefs, config: DEFAULT_CONFIG });
    } finally {
      w.close();
    }
    store = await Store.open(db, { readOnly: true });
    // The newsletter's archive page /briefs/DATE (publish routes) over a publish state naming the same brief.
    publishStore = await Store.open(':memory:');
    const state = publishStore.publishState();
    await state.putArchive({
      session: '2026-01-12',
      asOf: '2026-01-12',
      headline: 'the brief',
      summary: '',
      htmlPath: join(briefs, 'brief-2026-01-12.html'),
      createdMs: 0,
    });
    const app = createApp({
      publish: {
        withState: (fn) => fn(state),
        secret: 'a-test-secret-of-32-characters!!',
        baseUrl: 'http://127.0.0.1',
        sendMail: () => Promise.reject(new Error('this test sends no mail')),
        archiveDir: briefs,
        now: () => Date.now(),
      },
      withStore: (fn) => fn(store),
      version: () => 'test',
      config: DEFAULT_CONFIG,
      today: () => '2026-11-24' as TradingDate,
      briefsDir: briefs,
      maxConcurrent: 1,
    });
    server = await listen(app, '127.0.0.1', 0);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    store?.close();
    publishStore?.close();
  });

  const noHorizontalScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  for (const width of [375, 1280])
    it.skipIf(!existsSync(CHROMIUM))(
      `at ${width} px: loads, changes the pair and window, checks a claim, moves the RRG slider, opens a brief`,
      async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(server.url);
        await page.waitForSelector('body[data-ready="yes"]', { timeout: 60_000 });
        // Charts drawn by vega-embed (canvas), facts and the odds table from the API.
        for (const id of ['race-line', 'race-bars', 'rrg-chart'])
          expect(await page.locator(`#${id} canvas`).count(), id).toBe(1);
        expect(await page.locator('#race-facts .fact').count()).toBeGreaterThan(2);
        expect(await page.locator('#odds-table tbody tr').count()).toBeGreaterThan(2);
        expect(await noHorizontalScroll(page)).toBe(true);
        await page.screenshot({ path: join(shots, `load-${width}.png`), fullPage: true });

        // Change the pair and the window, with the keyboard.
        await page.fill('input[name="a"]', '^RUT');
        await page.fill('input[name="b"]', '^NDX');
        await page.selectOption('select[name="window"]', 'jan');
        await page.fill('input[name="year"]', '2026');
        await page.focus('input[name="year"]');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() =>
          document.getElementById('race-status')?.textContent?.startsWith('^RUT vs ^NDX, jan 2026'),
        );
        await page.waitForFunction(() =>
          document.getElementById('odds-status')?.textContent?.startsWith('^RUT beats ^NDX'),
        );
        // A fact shows its inputs on focus.
        const chip = page.locator('#race-facts .fact').first();
        await chip.focus();
        const tip = page.locator('#race-facts .tip').first();
        expect(await tip.isVisible()).toBe(true);
        expect(await tip.textContent()).toContain('inputs: ^RUT, ^NDX');
        await page.screenshot({ path: join(shots, `race-${width}.png`), fullPage: true });

        // Check a claim.
        await page.click('#claim-form button');
        await page.waitForFunction(() =>
          document.getElementById('claim-verdict')?.textContent?.startsWith('Verdict:'),
        );
        expect(await page.locator('#claim-table tbody tr').count()).toBeGreaterThan(3);
        await page.locator('#claim').screenshot({ path: join(shots, `claim-${width}.png`) });

        // Move the RRG slider one week back, with the keyboard.
        const before = await page.locator('#rrg-date').textContent();
        await page.focus('#rrg-week');
        await page.keyboard.press('ArrowLeft');
        await page.waitForFunction((b) => {
          const t = document.getElementById('rrg-date')?.textContent;
          return Boolean(t) && t !== b;
        }, before);
        const after = await page.locator('#rrg-date').textContent();
        expect((after ?? '') < (before ?? '')).toBe(true);
        expect(await page.locator('#rrg-table tbody tr').count()).toBe(11);
        await page.locator('#rrg').screenshot({ path: join(shots, `rrg-${width}.png`) });

        // Open a brief: its HTML in the frame and its facts below.
        await page.click('#briefs-list button');
        await page.waitForFunction(
          () => (document.querySelectorAll('#brief-facts tbody tr').length ?? 0) > 10,
        );
        const frame = page.frameLocator('#brief-frame');
        await expect.poll(() => frame.locator('h1').count(), { timeout: 20_000 }).toBeGreaterThan(0);
        expect(await noHorizontalScroll(page)).toBe(true);
        await page.locator('#briefs').screenshot({ path: join(shots, `brief-${width}.png`) });
        expect(problems).toEqual([]);
        await page.close();
      },
      120_000,
    );

  it.skipIf(!existsSync(CHROMIUM))(
    "a brief's HTML is styled, alone at /briefs/DATE and as the API's answer: its stylesheet allowed by hash",
    async () => {
      for (const path of ['/briefs/2026-01-12', '/api/v1/briefs/2026-01-12']) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
        });
        const r = await page.goto(server.url + path);
        const csp = (await r?.allHeaders())?.['content-security-policy'] ?? '';
        expect(csp, path).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
        expect(csp, path).not.toContain('unsafe-inline');
        expect(csp, path).toContain("default-src 'none'");
        // The UA's defaults are a serif font, an 8 px body margin and no width limit: the brief's CSS sets all three.
        const look = await page.evaluate(() => {
          const body = getComputedStyle(document.body);
          const main = document.querySelector('main');
          return {
            font: body.fontFamily,
            margin: body.marginTop,
            width: main ? getComputedStyle(main).maxWidth : '',
          };
        });
        expect(look.font, path).toContain('DejaVu Sans');
        expect(look.margin, path).toBe('0px');
        expect(look.width, path).toBe('760px');
        expect(problems, path).toEqual([]);
        await page.screenshot({ path: join(shots, `brief-page${path.replaceAll('/', '-')}.png`) });
        await page.close();
      }
    },
    60_000,
  );
});
