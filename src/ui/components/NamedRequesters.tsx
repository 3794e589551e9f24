/**
 * Requesters a suspended worker names by hand — when the work log is empty (a new
 * browser, the log turned off) or misses a task: an id or a link to the requester's page,
 * and a name. Checked with the same requester-key rules as everywhere else.
 */
import { useId, useState } from 'preact/hooks';
import { RequesterName } from '../../core/fields.js';
import { t } from '../i18n.js';
import { describedBy, Field } from './fields.js';
import { MAX_NAMED_REQUESTERS, readTypedRequester, type NamedRequester } from './suspension-picks.js';

export function NamedRequesters(props: { named: readonly NamedRequester[]; onChange: (next: NamedRequester[]) => void }) {
  const base = useId();
  const id = (name: string) => `${base}-${name}`;
  const [idText, setIdText] = useState('');
  const [nameText, setNameText] = useState('');
  const [error, setError] = useState<{ field: 'id' | 'name'; text: string } | null>(null);

  function add() {
    const key = readTypedRequester(idText, nameText);
    if (!key) {
      setError({ field: 'id', text: idText.trim() || nameText.trim() ? t('reportNamedBadId') : t('reportNamedMissing') });
      return;
    }
    const name = RequesterName.safeParse(nameText.trim() || key);
    if (!name.success) {
      setError({ field: 'name', text: t('reportNamedBadName') });
      return;
    }
    if (props.named.some((r) => r.requester === key)) {
      setError({ field: 'id', text: t('reportNamedDuplicate') });
      return;
    }
    setError(null);
    setIdText('');
    setNameText('');
    props.onChange([...props.named, { requester: key, requesterName: name.data }]);
  }

  // Enter in either field adds this requester; it must not send the whole report.
  const addOnEnter = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    add();
  };
  const full = props.named.length >= MAX_NAMED_REQUESTERS;
  const field = (name: 'id' | 'name', label: string, hint: string | null, value: string, set: (value: string) => void) => {
    const message = error?.field === name ? error.text : null;
    return (
      <Field id={id(name)} label={label} hint={hint} error={message}>
        <input
          id={id(name)}
          type="text"
          class="wide"
          value={value}
          disabled={full}
          aria-invalid={message !== null}
          aria-describedby={describedBy(id(name), hint, message)}
          onInput={(e) => set(e.currentTarget.value)}
          onKeyDown={addOnEnter}
        />
      </Field>
    );
  };
  return (
    <fieldset data-view="named-requesters">
      <legend>{t('reportNamedLegend')}</legend>
      <p class="muted small">{t('reportNamedExplain')}</p>
      {props.named.length > 0 && (
        <ul class="plain" data-list="named-requesters">
          {props.named.map((r) => (
            <li key={r.requester} data-requester={r.requester}>
              <span>{r.requesterName}</span> <span class="muted small">({r.requester})</span>{' '}
              <button type="button" class="link" onClick={() => props.onChange(props.named.filter((x) => x.requester !== r.requester))}>
                {t('reportNamedRemove', r.requesterName)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {field('id', t('reportNamedId'), t('reportNamedIdHint'), idText, setIdText)}
      {field('name', t('reportNamedName'), null, nameText, setNameText)}
      <div class="actions">
        <button type="button" onClick={add} disabled={full}>
          {t('reportNamedAdd')}
        </button>
      </div>
    </fieldset>
  );
}
