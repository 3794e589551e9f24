/**
 * Test builds only: lets an end-to-end test hold the background's answers to page scans,
 * so it can see what a tab draws from the badge index alone, whatever the timing
 * (`lantern.holdLookups()` returns the function that lets them go).
 */
let held: Promise<void> | null = null;

export function holdLookups(): () => void {
  let release!: () => void;
  held = new Promise<void>((resolve) => (release = resolve));
  return () => {
    held = null;
    release();
  };
}

/** Resolves at once unless a test holds lookups. */
export async function lookupsReleased(): Promise<void> {
  if (held) await held;
}
