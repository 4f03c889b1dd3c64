/**
 * The failed-call report as one self-contained HTML document: inline styles, inline SVG, no
 * script and no reference to anything outside the file. Its own Content-Security-Policy
 * (default-src 'none') keeps it that way wherever it is opened. Every SIP-derived value
 * passes through the escaping `html` template (html-template.ts).
 */
import type { LadderModel } from '../../api/ladder-dto.js';
import { renderLadderSvg } from '../../exports/ladder-svg.js';
import { aliasFor, type AliasMap } from '../../ladder/build-ladder.js';
import { formatCount, formatDelay, formatRatio } from '../../../web/format.js';
import { REPORT_LIMITS } from '../limits.js';
import type { CodeReasonCount, DestinationTotals, FailedCallReport, FailedCallRow, FailureOutcome, HourTotals, ReportLadders } from '../report-model.js';
import { renderFailuresChart } from './failures-chart.js';
import { html, trusted, type SafeHtml } from './html-template.js';
import { REPORT_CSS } from './report-styles.js';

/** The policy the document carries itself: no script, no fetch, nothing but its own inline styles and data: images. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface ReportHtmlOptions {
  aliases?: AliasMap;
  /** Product line in the footer (default `sipscope`). */
  generator?: string;
}

const OUTCOME_NAMES: Readonly<Record<FailureOutcome, string>> = {
  failed: 'Failed',
  cancelled: 'Cancelled',
  no_response: 'No response',
};

const DASH = '—';

function delay(ms: number | null): string {
  return ms === null ? DASH : formatDelay(ms);
}

function dateTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function outcomeChip(outcome: FailureOutcome): SafeHtml {
  return html`<span class="chip ${outcome}">${OUTCOME_NAMES[outcome]}</span>`;
}

function finalResponse(code: number | null, reason: string | null, outcome: FailureOutcome): SafeHtml {
  if (code === null) return html`<span class="muted">${outcome === 'no_response' ? 'no final response' : DASH}</span>`;
  return html`<span class="code">${code}</span> ${reason ?? ''}`;
}

/** The alias of `ip:port` (or of its IP), else null. */
function aliasOf(endpointText: string, aliases: AliasMap): string | null {
  const ip = endpointText.startsWith('[') ? endpointText.slice(1, endpointText.indexOf(']')) : endpointText.slice(0, endpointText.lastIndexOf(':'));
  return aliasFor(aliases, ip, endpointText);
}

/** `alias (ip:port)` when the host has a name, else `ip:port`. */
function hostName(endpointText: string | null, aliases: AliasMap): string {
  if (endpointText === null) return DASH;
  const alias = aliasOf(endpointText, aliases);
  return alias === null ? endpointText : `${alias} (${endpointText})`;
}

/** A table cell's host: the alias over `ip:port`, or `ip:port` alone. */
function hostCell(endpointText: string | null, aliases: AliasMap): SafeHtml {
  if (endpointText === null) return html`${DASH}`;
  const alias = aliasOf(endpointText, aliases);
  return alias === null ? html`${endpointText}` : html`${alias}<br><span class="muted">${endpointText}</span>`;
}

function party(name: string | null, uri: string): string {
  return name === null || name === '' ? uri : `"${name}" ${uri}`;
}

function windowText(report: FailedCallReport): string {
  const from = report.criteria.from ?? report.first_call;
  const to = report.criteria.to ?? report.last_call;
  if (from === null || to === null) return 'no calls in the window';
  return `${dateTime(from)} to ${dateTime(to)} UTC`;
}

/** The window asked for: `2024-05-01 10:00:00.000 UTC onwards`, or the whole database. */
function criteriaWindow(report: FailedCallReport): string {
  const { from, to } = report.criteria;
  if (from === null && to === null) return 'every call in the database';
  if (to === null) return `calls from ${dateTime(from ?? '')} UTC`;
  if (from === null) return `calls before ${dateTime(to)} UTC`;
  return `calls from ${dateTime(from)} to before ${dateTime(to)} UTC`;
}

function head(report: FailedCallReport): SafeHtml {
  const c = report.criteria;
  const listed =
    report.calls_truncated ? `${formatCount(report.calls.length)} of ${formatCount(report.calls_total)} (cut)` : formatCount(report.calls_total);
  return html`<header class="doc-head">
<div class="brand">sipscope · SIP traffic analysis</div>
<h1>Failed-call report</h1>
<p class="subtitle">${windowText(report)}</p>
<dl class="meta">
<dt>Window</dt><dd>${criteriaWindow(report)}</dd>
<dt>Filters</dt><dd>${c.filters.length === 0 ? 'none' : c.filters.join(' · ')}</dd>
<dt>Unanswered calls</dt><dd>${listed}</dd>
<dt>Generated</dt><dd>${report.generated_at}</dd>
</dl>
</header>`;
}

function kpis(report: FailedCallReport): SafeHtml {
  const t = report.summary.totals;
  const items: [string, string, string][] = [
    ['', 'Calls', formatCount(t.calls)],
    ['answered', 'Answered', formatCount(t.answered)],
    ['failed', 'Failed', formatCount(t.failed - t.no_response)],
    ['noresp', 'No response', formatCount(t.no_response)],
    ['cancelled', 'Cancelled', formatCount(t.cancelled)],
    ['', 'ASR', formatRatio(t.asr)],
    ['', 'NER', formatRatio(t.ner)],
  ];
  return html`<section class="kpis">${items.map(
    ([cls, label, value]) => html`<div class="kpi ${cls}"><div class="kpi-label">${label}</div><div class="kpi-value">${value}</div></div>`,
  )}</section>
${t.in_progress > 0 ? html`<p class="note">${formatCount(t.in_progress)} call(s) still in progress when the capture ended are counted in Calls but not in the ratios.</p>` : ''}`;
}

function codeTable(rows: readonly CodeReasonCount[]): SafeHtml {
  if (rows.length === 0) return html`<p class="note">No unanswered calls.</p>`;
  return html`<table><thead><tr><th>Outcome</th><th>Code</th><th>Reason</th><th class="num">Calls</th></tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr><td>${outcomeChip(row.outcome)}</td><td class="code">${row.code ?? DASH}</td><td>${row.reason ?? (row.outcome === 'no_response' ? 'no final response' : DASH)}</td><td class="num">${formatCount(row.calls)}</td></tr>`,
  )}</tbody></table>`;
}

function destinationTable(rows: readonly DestinationTotals[]): SafeHtml {
  if (rows.length === 0) return html`<p class="note">No calls.</p>`;
  return html`<table><thead><tr><th>Destination</th><th class="num">Calls</th><th class="num">Unanswered</th><th class="num">ASR</th></tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr><td class="mono">${row.alias === null ? row.destination : `${row.alias} (${row.destination})`}</td><td class="num">${formatCount(row.calls)}</td><td class="num">${formatCount(row.failed + row.cancelled)}</td><td class="num">${formatRatio(row.asr)}</td></tr>`,
  )}</tbody></table>`;
}

function hourTable(all: readonly HourTotals[]): SafeHtml {
  if (all.length === 0) return html`<p class="note">No calls.</p>`;
  const rows = all.slice(0, REPORT_LIMITS.htmlHourRows);
  const cut = all.length > rows.length ? html`<p class="warn">The first ${formatCount(rows.length)} of ${formatCount(all.length)} hours with calls are shown; the JSON report lists them all.</p>` : '';
  return html`${cut}<table><thead><tr><th>Hour (UTC)</th><th class="num">Calls</th><th class="num">Answered</th><th class="num">Failed</th><th class="num">No response</th><th class="num">Cancelled</th><th class="num">ASR</th></tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr><td class="nowrap">${row.hour.slice(0, 10)} ${row.hour.slice(11, 16)}</td><td class="num">${formatCount(row.calls)}</td><td class="num">${formatCount(row.answered)}</td><td class="num">${formatCount(row.failed - row.no_response)}</td><td class="num">${formatCount(row.no_response)}</td><td class="num">${formatCount(row.cancelled)}</td><td class="num">${formatRatio(row.asr)}</td></tr>`,
  )}</tbody></table>`;
}

function callsTable(report: FailedCallReport, aliases: AliasMap): SafeHtml {
  if (report.calls.length === 0) return html`<p class="note">No unanswered calls match.</p>`;
  const shown = report.calls.slice(0, REPORT_LIMITS.htmlTableCalls);
  return html`<table class="calls"><colgroup><col style="width:3%"><col style="width:11%"><col style="width:11%"><col style="width:15%"><col style="width:15%"><col style="width:13%"><col style="width:14%"><col style="width:7%"><col style="width:7%"><col style="width:4%"></colgroup><thead><tr><th>#</th><th>Start (UTC)</th><th>Outcome</th><th>Caller</th><th>Callee</th><th>Final response</th><th>Sent by</th><th class="num">PDD</th><th class="num">Ring</th><th class="num">Att.</th></tr></thead><tbody>${shown.map(
    (call, index) =>
      html`<tr><td class="num"><a href="#call-${call.id}">${index + 1}</a></td><td class="nowrap">${call.start_time.slice(0, 10)}<br>${call.start_time.slice(11, 23)}</td><td>${outcomeChip(call.outcome)}</td><td class="mono">${call.caller}</td><td class="mono">${call.callee}</td><td>${finalResponse(call.final_code, call.final_reason, call.outcome)}</td><td class="mono">${hostCell(call.final_response_from, aliases)}</td><td class="num">${delay(call.pdd_ms)}</td><td class="num">${delay(call.ring_ms)}</td><td class="num">${call.attempts}</td></tr>`,
  )}</tbody></table>
${report.calls.length > shown.length ? html`<p class="warn">The table shows the first ${formatCount(shown.length)} calls; the CSV and JSON reports list all ${formatCount(report.calls.length)}.</p>` : ''}`;
}

function fact(label: string, value: string | SafeHtml, wide = false): SafeHtml {
  return html`<div class="${wide ? 'wide' : ''}"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function callDetail(call: FailedCallRow, index: number, ladder: LadderModel | undefined, aliases: AliasMap): SafeHtml {
  const attempts = call.auth_challenged ? `${call.attempts} (authentication challenged)` : String(call.attempts);
  const ladderHtml =
    ladder === undefined
      ? html`<p class="note">Ladder not drawn (the report draws the first ${REPORT_LIMITS.htmlLadders} calls).</p>`
      : html`<div class="ladder">${trusted(renderLadderSvg(ladder, { standalone: false, title: `SIP ladder of call ${call.call_id}` }))}</div>`;
  return html`<article class="call" id="call-${call.id}">
<div class="call-head"><span class="call-no">#${index + 1}</span>${outcomeChip(call.outcome)}<h3>${finalResponse(call.final_code, call.final_reason, call.outcome)}</h3><span class="note">${dateTime(call.start_time)} UTC</span></div>
<dl class="facts">
${fact('Caller', party(call.caller_name, call.caller))}${fact('Callee', party(call.callee_name, call.callee))}${fact('Request-URI', call.request_uri)}
${fact('Source', hostName(call.source, aliases))}${fact('Destination', hostName(call.destination, aliases))}${fact('Transport', call.transport.toUpperCase())}
${fact('Final response sent by', hostName(call.final_response_from, aliases))}${fact('Reason header', call.reason_header ?? DASH)}${fact('Attempts', attempts)}
${fact('Post-dial delay', delay(call.pdd_ms))}${fact('Ring time', delay(call.ring_ms))}${fact('Messages', String(call.messages))}
${fact('Caller user agent', call.caller_user_agent ?? DASH)}${fact('Callee user agent', call.callee_user_agent ?? DASH)}${fact('Database id', String(call.id))}
${fact('Call-ID', call.call_id, true)}
</dl>
${ladderHtml}
</article>`;
}

function details(report: FailedCallReport, ladders: ReportLadders, aliases: AliasMap): SafeHtml {
  if (report.calls.length === 0) return html``;
  const shown = report.calls.slice(0, REPORT_LIMITS.htmlLadders);
  return html`<section class="details"><h2>Call details and ladders</h2>
${shown.map((call, index) => callDetail(call, index, ladders.get(call.id), aliases))}
${report.calls.length > shown.length ? html`<p class="warn">Details are drawn for the first ${formatCount(shown.length)} calls.</p>` : ''}
</section>`;
}

function footer(report: FailedCallReport, generator: string): SafeHtml {
  return html`<footer class="doc-foot">
<p>Times are UTC. A call is one INVITE dialog set (one Call-ID). Unanswered: <b>failed</b> — ended by a final failure response (3xx–6xx); <b>no response</b> — no final response before INVITE Timer B expired (RFC 3261 §17.1.1.2); <b>cancelled</b> — the caller sent CANCEL (RFC 3261 §9).</p>
<p>ASR (answer-seizure ratio) = answered ÷ (answered + failed + cancelled). NER (network-effectiveness ratio, after ITU-T E.411) also counts busy, no-answer and rejected calls (480, 486, 487, 600, 603, cancelled) as the network having done its job. PDD = INVITE to first 180/183; ring time = first 180/183 to the final response or CANCEL.</p>
<p>${generator} · generated ${report.generated_at}</p>
</footer>`;
}

export function renderReportHtml(report: FailedCallReport, ladders: ReportLadders, options: ReportHtmlOptions = {}): string {
  const aliases = options.aliases ?? {};
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Failed-call report — ${windowText(report)}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<main class="doc">
${head(report)}
${kpis(report)}
<h2>Calls over time</h2>
${renderFailuresChart(report.summary.timeline)}
<div class="grid-2"><section><h2>By final response</h2>${codeTable(report.summary.by_code)}</section><section><h2>By destination</h2>${destinationTable(report.summary.by_destination)}</section></div>
<h2>Unanswered calls</h2>
${callsTable(report, aliases)}
<h2>By hour</h2>
${hourTable(report.summary.by_hour)}
${details(report, ladders, aliases)}
${footer(report, options.generator ?? 'sipscope')}
</main>
</body>
</html>
`;
  return doc.value;
}
