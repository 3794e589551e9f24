/**
 * Counts of what Lantern met but could not read, shown on the options page so a change is
 * noticed and reported: pages an adapter could not read (by platform, page type and
 * problem), and stored fields an update had to repair (`storage/<field>/<problem>`, from
 * stored-state/upgrade.ts: a field that fell back to its default, an unknown one dropped).
 */
import browser from 'webextension-polyfill';
import type { StoredProblem } from './stored-state/fields.js';

type Counts = Record<string, number>;

/** Where stored-state repairs are counted (the options page's "platform" column). */
const STORAGE_DIAGNOSTICS = 'storage';

// One change at a time: two counts read and written at once would lose one of them.
let writing: Promise<unknown> = Promise.resolve();

function addCounts(ids: string[]): Promise<Counts> {
  const run = writing.then(async () => {
    const counts = await getDiagnostics();
    for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
    await browser.storage.local.set({ diagnostics: counts });
    return counts;
  });
  writing = run.catch(() => undefined);
  return run;
}

export async function countProblem(platform: string, page: string, problem: string): Promise<number> {
  const id = `${platform}/${page}/${problem}`;
  return (await addCounts([id]))[id]!;
}

/** Counts each repair once (field paths hold no "/", so the options page can split them). */
export async function countStoredProblems(problems: readonly StoredProblem[]): Promise<void> {
  if (problems.length === 0) return;
  await addCounts(problems.map((p) => `${STORAGE_DIAGNOSTICS}/${p.field.replaceAll('/', '_')}/${p.problem}`));
}

/** The counts as stored, entry by entry: one that isn't a count is left out, the others stay. */
export async function getDiagnostics(): Promise<Counts> {
  const { diagnostics } = await browser.storage.local.get('diagnostics');
  if (!diagnostics || typeof diagnostics !== 'object' || Array.isArray(diagnostics)) return {};
  return Object.fromEntries(Object.entries(diagnostics).filter(([, n]) => Number.isSafeInteger(n) && (n as number) >= 0)) as Counts;
}
