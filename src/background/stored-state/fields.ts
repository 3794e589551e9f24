/**
 * Reading stored records field by field. A record written by another release (a key added,
 * a key removed, a bound changed) or damaged must never fall back as a whole: each field is
 * checked alone, an invalid one takes its default alone, an unknown one is dropped alone,
 * and each such repair is named as a problem (shown in the options page's diagnostics).
 *
 * A field that is missing takes its default silently: that is a release adding a field,
 * which is what defaults are for, not damage.
 */
import * as z from 'zod/mini';

/**
 * invalid: fell back to its default; unknown: dropped; too_many: the extra entries dropped;
 * newer: written by a newer release; mended: text an older release let through was cleaned
 * to today's rules (core/fields.ts repairText) and kept; unchecked: the settings as read
 * disagreed with the schema, defaults were used and nothing was written back.
 */
type ProblemKind = 'invalid' | 'unknown' | 'too_many' | 'newer' | 'mended' | 'unchecked';

/** One repair made while reading: `field` is a path such as `settings.thresholds.minRating`. */
export interface StoredProblem {
  field: string;
  problem: ProblemKind;
}

/** Reads `raw` (anything found in storage) as T; `fallback` is what a bad field becomes. */
type Reader<T> = (raw: unknown, fallback: T, path: string, problems: StoredProblem[]) => T;

const isPlainObject = (raw: unknown): raw is Record<string, unknown> => typeof raw === 'object' && raw !== null && !Array.isArray(raw);

/** A leaf: the schema's answer, or the fallback when it refuses. */
export function value<S extends z.ZodMiniType>(schema: S): Reader<z.output<S>> {
  return (raw, fallback, path, problems) => {
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push({ field: path, problem: 'invalid' });
    return fallback;
  };
}

/** An object with known fields, each read alone; keys it doesn't know are dropped and named. */
export function object<T extends object>(fields: { [K in keyof T]-?: Reader<T[K]> }): Reader<T> {
  return (raw, fallback, path, problems) => {
    if (raw === undefined) return fallback;
    if (!isPlainObject(raw)) {
      problems.push({ field: path, problem: 'invalid' });
      return fallback;
    }
    const out = {} as T;
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const read = fields[key](raw[key], fallback[key], `${path}.${key}`, problems);
      // An optional field stays absent rather than becoming `key: undefined`.
      if (read !== undefined || key in raw) out[key] = read;
    }
    for (const key of Object.keys(raw)) if (!Object.hasOwn(fields, key)) problems.push({ field: `${path}.${key}`, problem: 'unknown' });
    return out;
  };
}

/** A list whose items are checked one by one: a bad item goes alone, the others stay. */
export function list<S extends z.ZodMiniType>(item: S, max: number): Reader<z.output<S>[]> {
  return (raw, fallback, path, problems) => {
    if (raw === undefined) return fallback;
    if (!Array.isArray(raw)) {
      problems.push({ field: path, problem: 'invalid' });
      return fallback;
    }
    const kept: z.output<S>[] = [];
    raw.forEach((candidate, i) => {
      const parsed = item.safeParse(candidate);
      if (parsed.success) kept.push(parsed.data);
      else problems.push({ field: `${path}[${i}]`, problem: 'invalid' });
    });
    if (kept.length > max) problems.push({ field: path, problem: 'too_many' });
    return kept.slice(0, max);
  };
}

/**
 * A record keyed by a known set of names (e.g. a minimum pay per currency): each entry is
 * read alone; an unknown name is dropped and named; an invalid value takes the fallback's
 * value for that name, or goes when the fallback has none.
 */
export function keyed<K extends string, S extends z.ZodMiniType>(names: readonly K[], entry: S): Reader<Partial<Record<K, z.output<S>>>> {
  return (raw, fallback, path, problems) => {
    if (raw === undefined) return fallback;
    if (!isPlainObject(raw)) {
      problems.push({ field: path, problem: 'invalid' });
      return fallback;
    }
    const out: Partial<Record<K, z.output<S>>> = {};
    for (const [name, candidate] of Object.entries(raw)) {
      if (!(names as readonly string[]).includes(name)) {
        problems.push({ field: `${path}.${name}`, problem: 'unknown' });
        continue;
      }
      const parsed = entry.safeParse(candidate);
      if (parsed.success) out[name as K] = parsed.data;
      else {
        problems.push({ field: `${path}.${name}`, problem: 'invalid' });
        if (fallback[name as K] !== undefined) out[name as K] = fallback[name as K];
      }
    }
    return out;
  };
}

/** Runs a reader from the top: the value and every repair it made. */
export function readRecord<T>(reader: Reader<T>, name: string, raw: unknown, fallback: T): { value: T; problems: StoredProblem[] } {
  const problems: StoredProblem[] = [];
  const result = reader(raw, fallback, name, problems);
  return { value: result, problems };
}
