/**
 * Counts of pages an adapter could not read, by platform, page type and problem.
 * Shown on the options page so a layout change on a platform is noticed and reported.
 */
import browser from 'webextension-polyfill';

type Counts = Record<string, number>;

export async function countProblem(platform: string, page: string, problem: string): Promise<number> {
  const { diagnostics } = await browser.storage.local.get('diagnostics');
  const counts: Counts = diagnostics && typeof diagnostics === 'object' ? (diagnostics as Counts) : {};
  const id = `${platform}/${page}/${problem}`;
  counts[id] = (counts[id] ?? 0) + 1;
  await browser.storage.local.set({ diagnostics: counts });
  return counts[id]!;
}

export async function getDiagnostics(): Promise<Counts> {
  const { diagnostics } = await browser.storage.local.get('diagnostics');
  return diagnostics && typeof diagnostics === 'object' ? (diagnostics as Counts) : {};
}
