/**
 * End to end in headless Chromium (Debian `chromium` + playwright-core): the call list,
 * filtering, a 486 call's ladder, the raw message, keyboard, diff, shared URLs, and proof that
 * hostile SIP content never executes. Screenshots go to test/artifacts/ for a human to look at.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/main.js';
import { CALL, createFixtureDb, HOSTILE, LONG_CALL } from '../server/helpers/fixture-db.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const LONG_CALL_MESSAGES = 500;
const skip = existsSync(CHROMIUM) ? false : `headless Chromium not installed at ${CHROMIUM} (apt-get install chromium)`;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
const dialogs: string[] = [];
const pageErrors: string[] = [];

/** Traps every way the hostile payloads could run: alert/confirm/prompt and a global flag. */
const XSS_TRAPS = `
  window.__xss = undefined;
  for (const name of ['alert', 'confirm', 'prompt']) {
    window[name] = (value) => { window.__xss = name + ':' + String(value); };
  }
`;

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: false });
}

async function assertNothingExecuted(page: Page): Promise<void> {
  // Browser-side expressions are strings: the Node-side tsconfig has no DOM types.
  assert.equal(await page.evaluate('window.__xss'), undefined);
  assert.deepEqual(dialogs, []);
  const injected = await page.evaluate(
    "document.querySelectorAll('#app script, #app img, #app iframe, #app [onload], #app [onerror]').length",
  );
  assert.equal(injected, 0);
}

async function arrowLabels(page: Page): Promise<string[]> {
  return page.locator('g.arrow text.label').allTextContents();
}

describe('dashboard in headless Chromium', { skip }, () => {
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync(process.execPath, ['web/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    server = await startServer({
      dbPath: createFixtureDb({ longCallMessages: LONG_CALL_MESSAGES }),
      port: 0,
      host: '127.0.0.1',
      aliases: { '10.0.0.1': 'proxy', '192.168.1.1': 'sbc' },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 860 }, baseURL: server.url });
    await context.addInitScript(XSS_TRAPS);
    // No request may leave the server's origin (no CDN, no fonts, no beacons).
    await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('list → failed → 486 ladder → raw message → keyboard → diff', async () => {
    const page = await openPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) external.push(request.url());
    });
    await page.goto('/calls');
    await page.locator('tr.call-row').first().waitFor();
    assert.equal(await page.locator('tr.call-row').count(), 50);
    assert.match((await page.locator('.summary').textContent()) ?? '', /^138 calls$/);
    await shot(page, '01-call-list');

    await page.getByRole('button', { name: 'Failed', exact: true }).click();
    await page.waitForURL('**/calls?status=failed');
    await page.locator('tr.call-row').first().waitFor();
    const statuses = await page.locator('tr.call-row').evaluateAll((rows) => rows.map((row) => row.className));
    assert.ok(statuses.length > 0 && statuses.every((name) => name.includes('st-failed')));
    await shot(page, '02-failed-calls');

    await page.locator('input[name="code"]').fill('486');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL('**/calls?status=failed&code=486');
    await page.locator('tr.call-row').first().waitFor();
    assert.equal(await page.locator('tr.call-row').count(), 1);
    const callerCell = await page.locator('tr.call-row td.c-party').first().textContent();
    assert.equal(callerCell, `${HOSTILE.script} <1001>`);

    await page.locator('tr.call-row').first().click();
    await page.waitForURL(`**/calls/${CALL.busy}`);
    await page.locator('g.arrow').nth(4).waitFor();
    assert.deepEqual(await arrowLabels(page), ['INVITE', 'INVITE ↻', '100 Trying', '486 Busy Here', 'ACK']);
    assert.deepEqual(await page.locator('g.col text.col-title').allTextContents(), ['10.0.0.10:5060', '10.0.0.30:5062']);
    assert.deepEqual(await page.locator('g.arrow').evaluateAll((arrows) => arrows.map((a) => a.classList.contains('retrans'))), [false, true, false, false, false]);
    assert.equal(await page.locator('h1.call-title').textContent(), '486 Busy Here');
    await shot(page, '03-ladder-486');

    await page.locator('g.arrow[data-index="3"]').click();
    await page.locator('.sip-text .sl').waitFor();
    assert.equal(await page.locator('.sip-text .sl').textContent(), 'SIP/2.0 486 Busy Here');
    const names = await page.locator('.sip-text .hn').allTextContents();
    assert.deepEqual(names.slice(0, 3), ['Via', 'From', 'To']);
    const values = await page.locator('.sip-text .hv').allTextContents();
    assert.ok(values.includes(`"${HOSTILE.script}" <sip:1001@example.com>;tag=from1`));
    assert.ok(values.includes(HOSTILE.svg));
    assert.equal(await page.locator('.diag-code').textContent(), 'sip.header.suspicious');
    assert.match(page.url(), /\/calls\/2\?msg=\d+$/);
    await shot(page, '04-raw-message');

    await page.keyboard.press('ArrowDown');
    await page.locator('.panel-title', { hasText: /^ACK / }).waitFor();
    assert.equal(await page.locator('g.arrow.selected').getAttribute('data-index'), '4');

    await page.locator('g.arrow[data-index="0"]').click();
    await page.locator('g.arrow[data-index="1"]').click({ modifiers: ['Shift'] });
    await page.locator('.diff-table').waitFor();
    assert.equal(await page.locator('.panel-title').textContent(), 'Compare messages');
    await shot(page, '05-diff');

    await assertNothingExecuted(page);
    assert.deepEqual(external, []);
    await page.close();
  });

  test('shared URLs open the same view', async () => {
    const page = await openPage();
    await page.goto('/calls?status=failed&code=486');
    await page.locator('tr.call-row').first().waitFor();
    assert.equal(await page.locator('.segment.active').textContent(), 'Failed');
    assert.equal(await page.locator('input[name="code"]').inputValue(), '486');
    assert.equal(await page.locator('tr.call-row').count(), 1);

    await page.goto(`/calls/${CALL.busy}`);
    await page.locator('g.arrow').nth(3).waitFor();
    const messageId = await page.locator('g.arrow[data-index="3"]').getAttribute('data-message');
    await page.goto(`/calls/${CALL.busy}?msg=${messageId}`);
    await page.locator('.sip-text .sl').waitFor();
    assert.equal(await page.locator('.sip-text .sl').textContent(), 'SIP/2.0 486 Busy Here');
    assert.equal(await page.locator('g.arrow.selected').getAttribute('data-index'), '3');

    await page.goto(`/calls/${CALL.legA}`);
    await page.locator('g.arrow').nth(3).waitFor();
    assert.deepEqual(await page.locator('g.col text.col-title').allTextContents(), ['10.0.0.10:5060', 'sbc', '10.0.0.20:5060']);
    await shot(page, '06-b2bua-legs');

    await page.goto(`/calls/${CALL.answered}`);
    await page.locator('g.arrow').nth(11).waitFor();
    assert.equal(await page.locator('g.arrow.dir-self text.label').textContent(), 'OPTIONS');
    assert.match((await page.locator('g.arrow text.sdp').first().textContent()) ?? '', /^audio 10\.0\.0\.10:4000 PCMU\/8000/);
    await shot(page, '07-ladder-answered');
    await assertNothingExecuted(page);
    await page.close();
  });

  test('statistics, trunks and registrations pages render without executing SIP content', async () => {
    const page = await openPage();
    await page.goto('/stats');
    await page.locator('.kpi').first().waitFor();
    await page.locator('svg.chart').nth(3).waitFor();
    assert.equal(await page.locator('.kpi-value').first().textContent(), '138');
    await shot(page, '08-statistics');
    await page.goto('/trunks');
    await page.locator('.data-table tbody tr').first().waitFor();
    await shot(page, '09-trunks');
    await page.goto('/registrations');
    await page.locator('.reg-table tbody tr').first().waitFor();
    assert.equal(await page.locator('.reg-table tbody tr td').nth(3).textContent(), `sip:${HOSTILE.script}@example.com`);
    await shot(page, '10-registrations');
    await assertNothingExecuted(page);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test(`a ${LONG_CALL_MESSAGES}-message ladder draws the rows in view and follows scrolling (figures in test/artifacts/ladder-timing.json)`, async () => {
    const page = await openPage();
    await page.goto(`/calls/${LONG_CALL}`);
    await page.locator('g.arrow').first().waitFor();
    await page.waitForFunction(() => performance.getEntriesByName('sipscope:ladder-painted').length > 0);
    const timing = await page.evaluate(() => ({
      render_ms: performance.getEntriesByName('sipscope:ladder-render')[0]?.duration ?? -1,
      painted_ms: performance.getEntriesByName('sipscope:ladder-painted')[0]?.duration ?? -1,
    }));
    const drawn = await page.locator('g.arrow').count();
    assert.ok(drawn > 10 && drawn < LONG_CALL_MESSAGES, `drawn ${drawn}`);
    assert.equal(await page.locator('.ladder-info').textContent(), `${LONG_CALL_MESSAGES} messages · 4 hosts`);
    assert.ok(timing.render_ms >= 0 && timing.painted_ms >= timing.render_ms);
    writeFileSync(`${ARTIFACTS}ladder-timing.json`, `${JSON.stringify({ messages: LONG_CALL_MESSAGES, drawn, ...timing }, null, 2)}\n`);

    await page.locator('.ladder-host').hover();
    await page.mouse.wheel(0, 4000);
    await page.locator('g.arrow[data-index="100"]').waitFor();
    await shot(page, '11-long-ladder-scrolled');

    await page.keyboard.press('ArrowUp');
    await page.locator(`g.arrow.selected[data-index="${LONG_CALL_MESSAGES - 1}"]`).waitFor();
    await page.locator('.panel-title', { hasText: /^SIP\/2\.0 200 OK$/ }).waitFor();
    await page.close();
  });
});
