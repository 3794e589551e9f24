/**
 * Card styles, scoped by the Shadow DOM. Calm and compact like the badge's; text colours
 * pass 4.5:1 on their backgrounds, the level is also said in words and an icon, and every
 * control shows a visible focus ring. No fixed heights: the card grows with its text (and
 * with the worker's zoom) and scrolls inside when taller than the window.
 */
export const CARD_CSS = `
:host{all:initial}
*{box-sizing:border-box}
.card{width:340px;max-width:calc(100vw - 16px);overflow:auto;padding:10px 12px;background:#fff;color:#18181b;
border:1px solid #71717a;border-radius:8px;box-shadow:0 6px 20px rgba(0,0,0,.2);
font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:left;overflow-wrap:break-word}
p,ul,h3,table{margin:0 0 8px}
header{display:flex;align-items:flex-start;gap:8px}
h2{flex:1;margin:0 0 4px;font-size:15px;font-weight:600}
h3{font-size:13px;font-weight:600;margin:10px 0 4px}
:focus{outline:none}
:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}
button{font:inherit;color:inherit;cursor:pointer}
.close{display:flex;padding:3px;border:0;border-radius:4px;background:none;color:#3f3f46}
.level{display:inline-flex;align-items:center;gap:4px;padding:1px 8px;border-radius:9px;border:1px solid}
.unknown{color:#3f3f46;background:#f4f4f5}
.ok{color:#14532d;background:#dcfce7}
.caution{color:#713f12;background:#fef3c7}
.danger{color:#fff;background:#b91c1c;border-color:#7f1d1d;font-weight:600}
.banner,.error{background:#fef2f2;color:#7f1d1d}
.banner{padding:6px 8px;border:1px solid #b91c1c;border-left-width:4px;border-radius:4px;margin:0 0 8px}
.banner p{margin:0}
.reasons{padding-left:1.2em}
.sub{display:block;color:#52525b;font-size:12px}
.few,.tags{color:#92400e}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
table{width:100%;border-collapse:collapse;font-size:12px}
th,td{padding:3px 4px;border-bottom:1px solid #e4e4e7;text-align:left;vertical-align:top;font-weight:600;color:#3f3f46}
tbody th{font-weight:400}
td{font-weight:400;color:inherit}
.spark{display:flex;align-items:center;gap:8px;margin:0 0 4px}
.spark svg{flex:none;overflow:visible;fill:none;stroke:#1d4ed8;stroke-width:1.5}
.spark circle{fill:#1d4ed8}
.spark .limit{stroke:#b45309;stroke-width:1;stroke-dasharray:3 2}
.reviews{list-style:none;padding:0}
.reviews li{padding:6px 0;border-top:1px solid #e4e4e7}
.reviews p{margin:0 0 2px}
.meta{font-weight:600;font-size:12px}
.title{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tags{font-size:12px}
.text{white-space:pre-line}
.link{padding:0;border:0;background:none;color:#1d4ed8;text-decoration:underline}
.actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:10px}
.actions button{padding:4px 10px;border:1px solid #71717a;border-radius:6px;background:#fff}
.actions button:not(.primary):hover{background:#f4f4f5}
.actions .primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
.actions .block{color:#991b1b;border-color:#991b1b}
[aria-disabled=true]{cursor:progress;opacity:.75}
.status{margin:8px 0 0;padding:4px 8px;border-radius:4px;background:#f4f4f5}
`;
