/**
 * Cutting page text to a bound without breaking a character: `.slice(0, n)` counts UTF-16
 * units, so it can cut an emoji (or any character outside the first plane) in half, and
 * the lone surrogate left behind makes the whole text refused (fields.ts). No imports: the
 * page-world script (platforms/prolific-main-world.ts) uses it too.
 */
export function cutText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const high = text.charCodeAt(maxUnits - 1);
  // The last unit kept opens a pair whose second half would be cut: leave the pair out whole.
  const end = high >= 0xd800 && high <= 0xdbff ? maxUnits - 1 : maxUnits;
  return text.slice(0, end);
}
