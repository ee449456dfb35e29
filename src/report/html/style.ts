/** The report's stylesheet, inlined (the page loads nothing). Print-friendly; no web fonts. */
export const STYLE = `
:root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#fff; --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 24px; }
header.top { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
nav a { margin-right: 12px; color: #0969da; text-decoration: none; } nav a:hover { text-decoration: underline; }
.verdict { display: inline-block; font-weight: 700; font-size: 18px; padding: 6px 14px; border-radius: 6px; color: #fff; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.incomplete { background: var(--warn); }
.muted { color: var(--muted); } .fail-text { color: var(--fail); font-weight: 600; } .pass-text { color: var(--pass); }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; font-size: 13px; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td code, td .evidence { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
.evidence mark { background: #fff8c5; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.card .v { font-size: 20px; font-weight: 700; } .card .k { color: var(--muted); font-size: 12px; }
figure { margin: 10px 0 18px; display: inline-block; vertical-align: top; max-width: 100%; }
figcaption { color: var(--muted); font-size: 12px; max-width: 560px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg.chart { max-width: 100%; height: auto; background: #fff; font-family: system-ui, "DejaVu Sans", sans-serif; }
svg .grid { stroke: #eaeef2; } svg .axis-line, svg .tick { stroke: #57606a; }
svg .tick-label, svg .legend-label, svg .bar-label { font-size: 11px; fill: #1b1f24; }
svg .axis-label { font-size: 12px; fill: #1b1f24; font-weight: 600; }
details summary { cursor: pointer; color: #0969da; font-size: 12px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; border: 1px solid var(--line); }
.badge.new { background: #ffebe9; border-color: #ff8182; } .badge.gone { background: #dafbe1; border-color: #4ac26b; } .badge.moved { background: #fff8c5; border-color: #d4a72c; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { nav { display: none; } main { max-width: none; } }
`;
