/**
 * Values scripts/build.ts bakes into a build with esbuild's `define`. Read through here so
 * code run without the bundler (unit tests under vitest) sees the defaults.
 */
declare const LANTERN_TEST_HOOKS: boolean | undefined;

/** True only in test builds: the background then exposes its functions on `globalThis`. */
export const TEST_HOOKS: boolean = typeof LANTERN_TEST_HOOKS === 'boolean' && LANTERN_TEST_HOOKS;
