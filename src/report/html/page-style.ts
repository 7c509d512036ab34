/** The stylesheet of plan.html and report.html (inline: the page loads nothing). */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6575; --line: #d8dde5; --bg: #f6f7f9;
  --create: #2f7d32; --adopt: #1f5fa8; --skip: #8a8f98; --blocked: #b3261e; --warning: #b26a00; --note: #5b6575; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 0 0 4px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; margin: 14px 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; color: var(--muted); }
.facts dt { font-weight: 600; } .facts dd { margin: 0; overflow-wrap: anywhere; }
.finding { margin: 4px 0; padding: 6px 10px; border-left: 4px solid var(--note); background: #f2f3f5; }
.finding.stop { border-color: var(--blocked); background: #fbeceb; } .finding.warning { border-color: var(--warning); background: #fdf3e3; }
.bar-row { display: grid; grid-template-columns: 180px 1fr 90px; align-items: center; gap: 10px; margin: 4px 0; }
.bar-track { background: #eef0f3; border-radius: 3px; height: 18px; overflow: hidden; }
.bar { display: block; height: 100%; min-width: 2px; }
.bar-value { text-align: right; font-variant-numeric: tabular-nums; }
.tone-create { background: var(--create); } .tone-adopt { background: var(--adopt); } .tone-skip { background: var(--skip); }
.tone-blocked { background: var(--blocked); } .tone-warning { background: var(--warning); } .tone-note { background: var(--note); }
.group { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--note); border-radius: 4px; padding: 8px 12px; margin: 8px 0; }
.group.tone-blocked { border-left-color: var(--blocked); } .group.tone-warning { border-left-color: var(--warning); } .group.tone-skip { border-left-color: var(--skip); }
.group .count, .times, .note, .more, .status { color: var(--muted); }
.messages { margin: 4px 0 6px; padding-left: 18px; } .messages li { overflow-wrap: anywhere; white-space: pre-wrap; }
.sentence { margin: 2px 0; }
.tree { list-style: none; padding-left: 18px; margin: 2px 0; } .tree .ou { font-family: ui-monospace, monospace; } .tree .new { color: var(--warning); font-weight: 600; }
.controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; margin-bottom: 8px; }
select, input, button { font: inherit; } input[type=search] { width: 280px; }
.pager { display: flex; gap: 8px; margin: 6px 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; white-space: pre-wrap; }
th { background: #eef0f3; }
th.wide { width: 22%; }
`;
