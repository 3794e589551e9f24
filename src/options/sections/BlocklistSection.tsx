/** Blocked requesters: list, remove, add by key, export to and import from a JSON file; filter mode. */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { BlockEntry, type Settings } from '../../core/extension-state.js';
import { RequesterKey } from '../../core/requester-key.js';
import { describeIssues } from '../../core/validation.js';
import { Field, StatusLine } from '../../ui/components/fields.js';
import { todayIso } from '../../ui/components/format.js';
import { saveFile } from '../../ui/components/save-file.js';
import { fieldLabel, send } from '../../ui/components/send.js';
import { useSaveStatus } from '../../ui/components/use-save-status.js';
import { t, tPlural } from '../../ui/i18n.js';
import { requesterFromInput } from '../../core/requester-input.js';
import type { SettingsProps } from './types.js';

const FILTER_MODES = ['hide', 'dim', 'off'] as const;

/** A file's entries: `BlockEntry[]` as exported, or `{blocklist}` / `{entries}`; a missing date is today. */
function entriesFromFile(text: string): BlockEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(t('importNotJson'));
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' ? ((data as Record<string, unknown>).blocklist ?? (data as Record<string, unknown>).entries) : null;
  if (!Array.isArray(list)) throw new Error(t('importNotList'));
  const filled = list.map((entry: unknown) =>
    entry && typeof entry === 'object' ? { name: '', addedOn: todayIso(), ...(entry as Record<string, unknown>) } : entry,
  );
  const parsed = z.array(BlockEntry).safeParse(filled);
  if (!parsed.success) throw new Error(describeIssues(parsed.error).replace(/^(\d+)\./, 'entries.$1.').replace(/; (\d+)\./g, '; entries.$1.'));
  return parsed.data;
}

export function BlocklistSection({ settings, update, onImported }: SettingsProps & { onImported: () => void }) {
  const id = useId();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [keyInvalid, setKeyInvalid] = useState(false);
  const save = useSaveStatus();
  const fileRef = useRef<HTMLInputElement>(null);
  const list = settings.blocklist;
  // Names the local replica knows, for entries blocked without one (issue 12: not "—").
  const [known, setKnown] = useState<Record<string, string>>({});
  const unnamed = list.filter((entry) => !entry.name).map((entry) => entry.key);
  useEffect(() => {
    if (unnamed.length === 0) return;
    send('ui/requester-names', { keys: unnamed }).then((r) => setKnown(r.names), () => undefined);
  }, [unnamed.join('\n')]);
  const nameOf = (entry: { key: string; name: string }) => entry.name || known[entry.key] || '';

  const apply = (patch: Partial<Settings>, text: string) => save.run(update(patch).then(() => text));

  function add(event: Event) {
    event.preventDefault();
    // Bare ids and whole addresses as the platform shows them, not only Lantern's own keys.
    const parsed = requesterFromInput(key);
    if (!parsed) {
      setKeyInvalid(true);
      save.say({ text: `${fieldLabel('key')}: ${t('formBlockKeyInvalid')}`, kind: 'error' });
      return;
    }
    setKeyInvalid(false);
    if (list.some((entry) => entry.key === parsed)) {
      save.say({ text: t('blockAlready'), kind: 'info' });
      return;
    }
    void addEntry(parsed, name.trim().slice(0, 200));
  }

  async function addEntry(parsed: RequesterKey, typedName: string) {
    const replicaName = typedName ? '' : await send('ui/requester-names', { keys: [parsed] }).then((r) => r.names[parsed] ?? '', () => '');
    const entry = { key: parsed, name: (typedName || replicaName).slice(0, 200), addedOn: todayIso() };
    void apply({ blocklist: [...list, entry] }, t('blockAdded', entry.name || entry.key)).then((ok) => {
      if (!ok) return;
      setKey('');
      setName('');
    });
  }

  function exportList() {
    saveFile(`lantern-blocklist-${todayIso()}.json`, 'application/json', JSON.stringify(list, null, 2));
    save.say({ text: tPlural('pluralBlockExported', list.length), kind: 'ok' });
  }

  async function importFile(file: File) {
    await save.run(
      async () => {
        const entries = entriesFromFile(await file.text());
        const result = await send('ui/blocklist-import', { entries });
        onImported();
        return t('blockImported', [String(result.added), String(result.total)]);
      },
      (words) => t('importFailed', words),
    );
    // The same file again is a new choice (a fixed file after a refusal).
    if (fileRef.current) fileRef.current.value = '';
  }

  return (
    <section aria-labelledby={`${id}-h`} data-section="blocklist">
      <h2 id={`${id}-h`}>{t('blocklistTitle')}</h2>
      <fieldset>
        <legend>{t('filterModeLegend')}</legend>
        {FILTER_MODES.map((mode) => (
          <label key={mode} class="choice">
            <input
              type="radio"
              name={`${id}-mode`}
              value={mode}
              checked={settings.filterMode === mode}
              onChange={() => void apply({ filterMode: mode }, t('saved'))}
            />{' '}
            {t(`filterMode_${mode}`)}
          </label>
        ))}
      </fieldset>
      {list.length === 0 ? (
        <p class="muted small">{t('blocklistEmpty')}</p>
      ) : (
        <table data-list="blocklist">
          <thead>
            <tr>
              <th scope="col">{t('fieldRequesterName')}</th>
              <th scope="col">{t('fieldRequester')}</th>
              <th scope="col">{t('fieldAddedOn')}</th>
              <th scope="col">
                <span class="sr-only">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((entry) => (
              <tr key={entry.key} data-block={entry.key}>
                <td>{nameOf(entry) || '—'}</td>
                <td class="small">{entry.key}</td>
                <td class="small">{entry.addedOn}</td>
                <td>
                  <button
                    type="button"
                    aria-label={t('blockRemoveAria', nameOf(entry) || entry.key)}
                    onClick={() => void apply({ blocklist: list.filter((e) => e.key !== entry.key) }, t('blockRemoved', nameOf(entry) || entry.key))}
                  >
                    {t('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={add} noValidate>
        <h3>{t('blockAddTitle')}</h3>
        <div class="row">
          <Field id={`${id}-key`} label={t('fieldRequesterKey')} hint={t('requesterKeyHint')}>
            <input id={`${id}-key`} type="text" value={key} aria-invalid={keyInvalid} aria-describedby={`${id}-key-hint`} onInput={(e) => setKey(e.currentTarget.value)} />
          </Field>
          <Field id={`${id}-name`} label={t('fieldRequesterNameOptional')}>
            <input id={`${id}-name`} type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
        </div>
        <button type="submit">{t('blockAdd')}</button>
      </form>
      <h3>{t('blockFileTitle')}</h3>
      <div class="row">
        <button type="button" onClick={exportList}>
          {t('blockExport')}
        </button>
        <div class="field">
          <label for={`${id}-file`}>{t('blockImport')}</label>
          <input
            id={`${id}-file`}
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void importFile(file);
            }}
          />
        </div>
      </div>
      <StatusLine {...save.line} />
    </section>
  );
}
