/**
 * One stylesheet for the popup and the options page, added as a <style> element's text.
 * Colours pass 4.5:1 on their backgrounds; levels are also said in words and icons.
 */
const PAGE_CSS = `
:root { color-scheme: light; --fg: #18181b; --muted: #52525b; --line: #d4d4d8; --bg: #fff; --soft: #f4f4f5;
  --accent: #1d4ed8; --accent-fg: #fff; --bad: #b91c1c; --good: #14532d; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body.popup { width: 380px; max-width: 100%; }
main { padding: 12px; }
body.options main { max-width: 760px; margin: 0 auto; padding: 16px 20px 48px; }
h1 { font-size: 17px; margin: 0 0 8px; display: flex; align-items: center; gap: 6px; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
.card h3, h2 + h3 { margin-top: 0; }
section { border-top: 1px solid var(--line); padding: 10px 0; }
section form { margin-top: 10px; }
body.options section { padding: 16px 0; }
p { margin: 0 0 6px; }
.muted { color: var(--muted); }
.small { font-size: 12.5px; }
a { color: var(--accent); }
button, input, select, textarea { font: inherit; color: inherit; }
button { border: 1px solid var(--line); background: var(--soft); border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button:hover { border-color: #a1a1aa; }
button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
button.danger { background: var(--bad); color: #fff; border-color: var(--bad); }
button.link { border: none; background: none; color: var(--accent); padding: 0; text-decoration: underline; }
button:disabled { opacity: .6; cursor: default; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
input[type=text], input[type=url], input[type=number], input[type=date], input:not([type]), select, textarea {
  border: 1px solid #71717a; border-radius: 5px; padding: 4px 6px; background: #fff; max-width: 100%; }
textarea { width: 100%; resize: vertical; min-height: 5em; }
input.wide { width: 100%; }
input.short { width: 7em; }
[aria-invalid=true] { border-color: var(--bad) !important; box-shadow: 0 0 0 1px var(--bad); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; padding: 6px 8px 8px; }
legend { font-weight: 600; padding: 0 4px; }
.field { margin: 0 0 8px; display: flex; flex-direction: column; gap: 2px; }
.field > label, .label { font-weight: 600; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.row > .field { flex: 1 1 8em; align-self: flex-start; }
.choice { display: inline-flex; align-items: center; gap: 4px; margin-right: 10px; font-weight: normal; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.error { color: var(--bad); font-weight: 600; }
.ok-text { color: var(--good); font-weight: 600; }
.notice { border: 1px solid var(--line); background: var(--soft); border-radius: 6px; padding: 6px 8px; margin: 6px 0; }
.notice.error-box { border-color: var(--bad); background: #fef2f2; }
.notice.warn { border-color: #a16207; background: #fefce8; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain > li { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; margin: 0 0 6px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; margin: 0 0 8px; }
.level { display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border-radius: 10px;
  border: 1px solid currentColor; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.level.unknown { color: #3f3f46; background: #f4f4f5; }
.level.ok { color: #14532d; background: #dcfce7; }
.level.caution { color: #713f12; background: #fef3c7; }
.level.danger { color: #fff; background: #b91c1c; border-color: #7f1d1d; }
.stats { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 6px 0; }
.stats dt { color: var(--muted); }
.stats dd { margin: 0; }
progress { width: 100%; height: 12px; }
.counter { font-size: 12px; color: var(--muted); text-align: right; }
.counter.over { color: var(--bad); font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 4px 6px; }
.code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; word-break: break-all;
  background: var(--soft); border: 1px solid var(--line); border-radius: 5px; padding: 6px 8px; }
.review-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
details > summary { cursor: pointer; }
details.more { border-top: 1px solid var(--line); padding: 12px 0; }
details.more > summary { padding: 4px 0; }
ol.steps > li { margin: 0 0 14px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;

export function installStyles(doc: Document = document): void {
  const style = doc.createElement('style');
  style.textContent = PAGE_CSS;
  doc.head.append(style);
}
