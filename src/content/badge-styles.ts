/**
 * Badge styles, scoped by the Shadow DOM: the host page's CSS can't reach in and ours
 * can't leak out. Colours pass 4.5:1 contrast; the level is also said in words and an icon.
 */
export const BADGE_CSS = `
:host { all: initial; display: inline-block; vertical-align: middle; margin: 0 4px;
  font: 12px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.badge { display: inline-flex; align-items: center; gap: 3px; padding: 1px 6px; border-radius: 9px;
  border: 1px solid currentColor; cursor: pointer; font: inherit; white-space: nowrap; max-width: 16em;
  overflow: hidden; text-overflow: ellipsis; }
.badge:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 2px; }
.icon { flex: none; }
.unknown { color: #3f3f46; background: #f4f4f5; }
.ok { color: #14532d; background: #dcfce7; }
.caution { color: #713f12; background: #fef3c7; }
.danger { color: #fff; background: #b91c1c; border-color: #7f1d1d; font-weight: 600; }
.details { position: absolute; z-index: 2147483647; margin-top: 4px; max-width: 22em; padding: 8px 10px;
  background: #fff; color: #18181b; border: 1px solid #a1a1aa; border-radius: 6px;
  box-shadow: 0 4px 12px rgba(0,0,0,.18); white-space: normal; }
.details p { margin: 0 0 4px; }
.details ul { margin: 0; padding-left: 1.2em; }
`;
