/** Hashes shared by every part: small, so the content script can carry them. */
const utf8 = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  // Requester keys are ASCII, whose UTF-8 bytes are its char codes: no encoder needed
  // (a badge index lookup per requester on every page scan).
  let i = 0;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) break;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  if (i < text.length) {
    for (const byte of utf8.encode(text.slice(i))) hash = Math.imul(hash ^ byte, 0x01000193);
  }
  return hash >>> 0;
}
