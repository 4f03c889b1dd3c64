/**
 * The HTML report in headless Chromium: it loads nothing from anywhere, runs nothing that SIP
 * content smuggled in (with and without its Content-Security-Policy), shows the hostile values
 * as text, and looks like a document (a screenshot goes to test/artifacts/).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getLadder } from '../../../server/queries/ladder.js';
import { renderLadderSvg } from '../../../server/exports/ladder-svg.js';
import { buildFailedCallReport, reportLadders } from '../../../server/reports/build-report.js';
import { renderReportHtml, REPORT_CSP } from '../../../server/reports/html/report-html.js';
import { HOSTILE_VALUES, writeHostileCapture } from './helpers/hostile-capture.js';
import { corpusPath, importCopies, openReadOnly, tempDir } from './helpers/report-db.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const DOC_URL = 'http://report.test/report.html';
const HOSTILE_ALIAS = '<img src=x onerror="window.__pwned=9">';

let browser: Browser | undefined;
let hostileDb: Database.Database;
let realDb: Database.Database;

before(async () => {
  const dir = tempDir();
  await writeHostileCapture(join(dir, 'hostile.pcap'));
  hostileDb = openReadOnly((await importCopies([join(dir, 'hostile.pcap')])).dbPath);
  realDb = openReadOnly((await importCopies([corpusPath('pcap/heplify/sip_ipv4_tcp_fragmented.pcap')])).dbPath);
  if (existsSync(CHROMIUM)) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }
});

after(async () => {
  await browser?.close();
  hostileDb.close();
  realDb.close();
});

function hostileHtml(): string {
  const aliases = { '10.66.0.2': HOSTILE_ALIAS };
  const report = buildFailedCallReport(hostileDb, { filter: {}, aliases });
  assert.equal(report.calls.length, 1, 'the hostile capture holds one failed call');
  return renderReportHtml(report, reportLadders(hostileDb, report, aliases), { aliases });
}

interface Visit {
  page: Page;
  /** Every request other than the document itself. */
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

let page: Page | undefined;
let current: { body: string; visit: Visit } | undefined;

/** One page for every visit: each request other than the document is recorded and refused. */
async function sharedPage(): Promise<Page> {
  if (page !== undefined) return page;
  assert.ok(browser);
  const created = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await created.route('**/*', async (route) => {
    if (route.request().url() === DOC_URL && current !== undefined) {
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: current.body });
    } else {
      current?.visit.requests.push(route.request().url());
      await route.abort();
    }
  });
  created.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') current?.visit.consoleErrors.push(message.text());
  });
  created.on('pageerror', (error) => current?.visit.pageErrors.push(error.message));
  created.on('dialog', async (dialog) => {
    current?.visit.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page = created;
  return created;
}

/** Opens `body` as the document at DOC_URL. */
async function visit(body: string): Promise<Visit> {
  const shared = await sharedPage();
  const visit: Visit = { page: shared, requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
  current = { body, visit };
  await shared.goto(DOC_URL, { waitUntil: 'load' });
  return visit;
}

async function assertInert(v: Visit): Promise<void> {
  assert.deepEqual(v.requests, [], 'no request beyond the document');
  assert.deepEqual(v.pageErrors, []);
  assert.deepEqual(v.dialogs, []);
  // Browser-side expressions are strings: the Node-side tsconfig has no DOM types.
  const state = await v.page.evaluate(`({
    pwned: window.__pwned ?? null,
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img, iframe, object, embed, link, base, form').length,
    handlers: [...document.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((name) => name.startsWith('on'))),
  })`);
  assert.deepEqual(state, { pwned: null, scripts: 0, images: 0, handlers: [] });
}

describe('the HTML report in Chromium', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  test('hostile SIP values are shown as text; nothing loads and nothing runs', async () => {
    const v = await visit(hostileHtml());
    await assertInert(v);
    assert.deepEqual(v.consoleErrors, [], 'no Content-Security-Policy violation: the document references nothing');
    const text = (await v.page.evaluate('document.body.innerText')) as string;
    const stored = hostileDb.prepare('SELECT caller_display, caller_user_agent, callee_user_agent, final_reason, reason_header, sip_call_id FROM calls').get() as Record<
      string,
      string
    >;
    for (const [column, value] of Object.entries(stored)) assert.ok(text.includes(value), `${column} shown as text: ${value}`);
    assert.ok(text.includes(HOSTILE_ALIAS), 'the alias is text too');
    assert.ok(stored['sip_call_id'] === HOSTILE_VALUES.callId);
    const svgTexts = (await v.page.evaluate("[...document.querySelectorAll('.ladder svg text')].map((node) => node.textContent)")) as string[];
    assert.ok(svgTexts.includes(`486 ${HOSTILE_VALUES.reasonPhrase}`.slice(0, 48)), 'the ladder label is SVG text');
  });

  test('escaping holds on its own: without the Content-Security-Policy nothing runs either', async () => {
    const body = hostileHtml();
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/;
    assert.equal(policy.exec(body)?.[1]?.replaceAll('&#39;', "'"), REPORT_CSP, 'the document carries its policy');
    const withoutPolicy = body.replace(policy, '');
    assert.ok(!withoutPolicy.includes('Content-Security-Policy'), 'the policy was removed');
    const v = await visit(withoutPolicy);
    await assertInert(v);
  });

  test('the standalone SVG ladder is well-formed XML with the hostile labels as text', async () => {
    const ladder = getLadder(hostileDb, 1, { '10.66.0.1': '</text><script>window.__pwned=7</script>' });
    assert.ok(ladder);
    const svg = renderLadderSvg(ladder);
    const v = await visit('<!DOCTYPE html><title>x</title>');
    const parsed = (await v.page.evaluate(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml');
      return {
        error: doc.getElementsByTagName('parsererror').length,
        scripts: doc.getElementsByTagName('script').length,
        texts: [...doc.getElementsByTagName('text')].map((node) => node.textContent ?? ''),
      };
    })()`)) as { error: number; scripts: number; texts: string[] };
    assert.equal(parsed.error, 0);
    assert.equal(parsed.scripts, 0);
    assert.ok(parsed.texts.includes('</text><script>window.__pwned=7</script>'));
    assert.ok(parsed.texts.includes('INVITE'));
  });

  test('a report from a real capture, screenshotted for review (screen and print)', async () => {
    const aliases = { '10.186.207.1': 'sbc-1', '10.186.205.131': 'avaya-cm', '10.186.205.133': 'avaya-cm-2' };
    const report = buildFailedCallReport(realDb, { filter: {}, aliases });
    const v = await visit(renderReportHtml(report, reportLadders(realDb, report, aliases), { aliases }));
    await assertInert(v);
    const counts = (await v.page.evaluate(`({
      kpis: document.querySelectorAll('.kpi').length,
      rows: document.querySelectorAll('table.calls tbody tr').length,
      ladders: document.querySelectorAll('.ladder svg').length,
      bars: document.querySelectorAll('.chart rect').length,
    })`)) as { kpis: number; rows: number; ladders: number; bars: number };
    assert.equal(counts.kpis, 7);
    assert.equal(counts.rows, report.calls.length);
    assert.equal(counts.ladders, report.calls.length);
    assert.ok(counts.bars > 0, 'the chart has bars');
    mkdirSync(ARTIFACTS, { recursive: true });
    await v.page.screenshot({ path: join(ARTIFACTS, 'report-failed-calls.png'), fullPage: true });
    await v.page.emulateMedia({ media: 'print' });
    await v.page.setViewportSize({ width: 703, height: 1032 }); // A4 less 12 mm margins at 96 dpi: about one printed page
    await v.page.screenshot({ path: join(ARTIFACTS, 'report-failed-calls-print.png') });
    await v.page.emulateMedia({ media: 'screen' });
    await v.page.setViewportSize({ width: 1200, height: 900 });
  });
});
