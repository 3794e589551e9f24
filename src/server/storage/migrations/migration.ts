/** One numbered schema change. Its own module so that each migration and the list of them (index.ts) don't import each other. */
import type { Dialect } from '../driver.js';

export interface Migration {
  version: number;
  name: string;
  statements: (dialect: Dialect) => string[];
}
