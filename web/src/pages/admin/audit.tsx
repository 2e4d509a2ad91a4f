/** The audit log for admins: who did what to which object, when, with the object before and after. */
import { useState } from 'preact/hooks';
import { client as api } from '../../api.js';
import { useApi } from '../use-api.js';
import type { AdminT } from './admin-i18n.js';
import { blankless, Field } from './form-kit.js';

const ENTITY_TYPES = [
  '',
  'client',
  'site',
  'contact',
  'contract',
  'technician',
  'part',
  'account',
  'service_request',
  'sso',
  'users',
] as const;

export function AuditPage({ t, lang }: { t: AdminT; lang: 'fr' | 'en' }) {
  const [filter, setFilter] = useState({ actor: '', entityType: '', entityId: '', from: '', to: '' });
  const [applied, setApplied] = useState(filter);
  const query = {
    limit: 100,
    ...(blankless(applied.actor) ? { actor: applied.actor.trim() } : {}),
    ...(blankless(applied.entityType) ? { entityType: applied.entityType } : {}),
    ...(blankless(applied.entityId) ? { entityId: applied.entityId.trim() } : {}),
    ...(applied.from ? { from: new Date(`${applied.from}T00:00:00`).toISOString() } : {}),
    ...(applied.to ? { to: new Date(`${applied.to}T00:00:00`).toISOString() } : {}),
  };
  const log = useApi(() => api.GET('/api/audit', { params: { query } }), `audit-${JSON.stringify(query)}`);
  const when = (iso: string) => new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris' });

  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <form
        class="panel"
        role="search"
        aria-label={t('audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
      >
        <div class="form-grid">
          <Field name="actor" label={t('audit.person')} value={filter.actor} onInput={(v) => setFilter({ ...filter, actor: v })} />
          <Field
            name="entityType"
            label={t('audit.objectType')}
            value={filter.entityType}
            onInput={(v) => setFilter({ ...filter, entityType: v })}
            options={ENTITY_TYPES.map((e) => [e, e === '' ? t('audit.any') : e] as const)}
          />
          <Field
            name="entityId"
            label={t('audit.objectId')}
            value={filter.entityId}
            onInput={(v) => setFilter({ ...filter, entityId: v })}
          />
          <Field name="from" type="date" label={t('audit.from')} value={filter.from} onInput={(v) => setFilter({ ...filter, from: v })} />
          <Field name="to" type="date" label={t('audit.to')} value={filter.to} onInput={(v) => setFilter({ ...filter, to: v })} />
        </div>
        <div class="form-actions">
          <button type="submit">{t('audit.apply')}</button>
        </div>
      </form>
      {log.error && <div class="error">{log.error}</div>}
      <div class="panel">
        <table data-testid="audit">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.person')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.object')}</th>
              <th>{t('audit.change')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data?.items.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>
                  {e.actorName ?? e.actorEmail ?? (e.actorUserId ? e.actorUserId.slice(0, 8) : t('audit.system'))}
                  {e.actorRole ? ` (${e.actorRole})` : ''}
                </td>
                <td>{e.action}</td>
                <td>
                  {e.entityType} {e.entityId ? <code>{e.entityId.slice(0, 36)}</code> : null}
                </td>
                <td>
                  {e.before !== null || e.after !== null ? (
                    <details>
                      <summary>
                        {e.before === null ? t('audit.created') : e.after === null ? t('audit.deleted') : t('audit.changed')}
                      </summary>
                      <div class="admin-columns">
                        <pre class="json" tabIndex={0} aria-label={t('audit.before')}>
                          {JSON.stringify(e.before, null, 1)}
                        </pre>
                        <pre class="json" tabIndex={0} aria-label={t('audit.after')}>
                          {JSON.stringify(e.after, null, 1)}
                        </pre>
                      </div>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {log.data?.items.length === 0 && <p>{t('audit.none')}</p>}
      </div>
    </section>
  );
}
