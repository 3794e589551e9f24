/** MTurk's React mounts carry their table rows as JSON in `data-react-props` (`{bodyData}`). */

/** A mount's rows from its props, or null when they can't be read. */
export function readTableProps<Row extends object>(mount: Element): Row[] | null {
  const raw = mount.getAttribute('data-react-props');
  if (!raw) return null;
  try {
    const props: unknown = JSON.parse(raw);
    const rows = (props as { bodyData?: unknown } | null)?.bodyData;
    return Array.isArray(rows) ? (rows.filter((r) => r && typeof r === 'object') as Row[]) : null;
  } catch {
    return null;
  }
}
