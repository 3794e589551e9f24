/**
 * SLOT for the suspect-match banner (issue 11, item 5): the "matcher" part replaces this
 * file with the banner that says which task of the worker's own log an incident names.
 * The popup's home renders it first; until then it renders nothing.
 */
export function SuspectMatchBanner() {
  return null;
}
