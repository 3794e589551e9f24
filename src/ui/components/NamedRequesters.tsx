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
      <Field id={id('id')} label={t('reportNamedId')} hint={t('reportNamedIdHint')} error={error?.field === 'id' ? error.text : null}>
        <input
          id={id('id')}
          type="text"
          class="wide"
          value={idText}
          disabled={full}
          aria-invalid={error?.field === 'id'}
          aria-describedby={describedBy(id('id'), true, error?.field === 'id')}
          onInput={(e) => setIdText(e.currentTarget.value)}
          onKeyDown={addOnEnter}
        />
      </Field>
      <Field id={id('name')} label={t('reportNamedName')} error={error?.field === 'name' ? error.text : null}>
        <input
          id={id('name')}
          type="text"
          class="wide"
          value={nameText}
          disabled={full}
          aria-invalid={error?.field === 'name'}
          aria-describedby={describedBy(id('name'), null, error?.field === 'name')}
          onInput={(e) => setNameText(e.currentTarget.value)}
          onKeyDown={addOnEnter}
        />
      </Field>
      <div class="actions">
        <button type="button" onClick={add} disabled={full}>
          {t('reportNamedAdd')}
        </button>
      </div>
    </fieldset>
  );
}
