/** The HTML report's style sheet: inline in the document, screen and print (A4) alike. */
export const REPORT_CSS = `
:root { --ink: #1f2430; --ink-2: #4b5563; --muted: #6b7280; --line: #e2e5ea; --line-2: #cfd4dc; --head: #f3f4f6;
  --failed: #c62828; --failed-soft: #fbe9e9; --cancelled: #b45309; --cancelled-soft: #fdf1e2;
  --noresp: #6d28d9; --noresp-soft: #f1eafd; --answered: #15803d; --accent: #1e3a8a;
  --mono: ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
* { box-sizing: border-box; }
html { background: #eef0f3; }
body { margin: 0; font: 13px/1.45 var(--sans); color: var(--ink); }
.doc { max-width: 1080px; margin: 24px auto; background: #fff; padding: 36px 44px 28px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
.doc-head { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 18px; }
.brand { font: 600 11px/1 var(--sans); letter-spacing: 1.6px; text-transform: uppercase; color: var(--accent); }
h1 { font-size: 24px; margin: 6px 0 2px; letter-spacing: -.2px; }
.subtitle { color: var(--ink-2); margin: 0 0 12px; font-size: 14px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; font-size: 12px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; font-family: var(--mono); overflow-wrap: anywhere; }
h2 { font-size: 15px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); break-after: avoid; }
h3 { font-size: 13.5px; margin: 0; }
.kpis { display: grid; grid-template-columns: repeat(7, 1fr); border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
.kpi { padding: 9px 12px; border-left: 1px solid var(--line); }
.kpi:first-child { border-left: 0; }
.kpi-label { font-size: 10.5px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); }
.kpi-value { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi.failed .kpi-value { color: var(--failed); } .kpi.cancelled .kpi-value { color: var(--cancelled); }
.kpi.noresp .kpi-value { color: var(--noresp); } .kpi.answered .kpi-value { color: var(--answered); }
.muted { color: var(--muted); }
.note { color: var(--muted); font-size: 12px; margin: 6px 0; }
.warn { color: var(--cancelled); font-size: 12px; margin: 6px 0; }
.chart { margin: 0; }
.chart svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 11.5px; margin-top: 2px; }
.grid-2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
table { width: 100%; border-collapse: collapse; font-size: 12px; }
thead { display: table-header-group; }
th { text-align: left; background: var(--head); color: var(--ink-2); font-weight: 600; padding: 5px 7px; border-bottom: 1px solid var(--line-2); white-space: nowrap; }
td { padding: 4px 7px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.mono { font-family: var(--mono); font-size: 11.5px; overflow-wrap: anywhere; }
td.nowrap { white-space: nowrap; }
.calls { table-layout: fixed; }
.calls td { font-size: 11.5px; overflow-wrap: anywhere; }
.calls th { white-space: normal; }
.chip { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11px; font-weight: 600; white-space: nowrap; }
.chip.failed { background: var(--failed-soft); color: var(--failed); }
.chip.cancelled { background: var(--cancelled-soft); color: var(--cancelled); }
.chip.no_response { background: var(--noresp-soft); color: var(--noresp); }
.code { font-family: var(--mono); font-weight: 700; }
a { color: var(--accent); text-decoration: none; }
.call { border: 1px solid var(--line); border-radius: 6px; margin: 14px 0; padding: 12px 14px; }
.call-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 8px; }
.call-no { color: var(--muted); font-weight: 600; }
.facts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px 18px; margin: 0 0 10px; }
.facts div { min-width: 0; }
.facts dt { font-size: 10.5px; text-transform: uppercase; letter-spacing: .3px; color: var(--muted); }
.facts dd { margin: 0; font-family: var(--mono); font-size: 11.5px; overflow-wrap: anywhere; }
.facts .wide { grid-column: span 3; }
.ladder svg { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 4px; }
.doc-foot { margin-top: 28px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 11.5px; }
.doc-foot p { margin: 3px 0; }
@page { size: A4; margin: 12mm; }
@media print {
  html { background: #fff; }
  body { font-size: 10.5px; }
  .doc { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  .kpi-value { font-size: 16px; }
  .call { break-inside: avoid; }
  table { font-size: 10px; }
  th, td { padding: 3px 5px; }
  .calls td, .calls th { font-size: 9px; }
  td.mono, .facts dd, .meta dd { font-size: 9.5px; }
  .chip { font-size: 9px; padding: 0 4px; }
  .kpi { padding: 6px 8px; }
  .kpi-label { font-size: 9px; }
  .details h2 { break-before: page; }
  a { color: inherit; }
}
`;
