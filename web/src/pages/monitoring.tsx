/**
 * Monitoring integrations (issue 13): a company's Alertmanager tokens (create, shown once; revoke),
 * and on a request the alert groups behind it with the closing proposed to support.
 */
import { useState } from 'preact/hooks';
import { call, client as api } from '../api.js';
import { formatDateTime, type Lang } from '../i18n.js';
import type { T } from '../session.js';
import { Field, FieldErrors, FormAlert, useSubmit } from './admin/form-kit.js';
import { useApi } from './use-api.js';

export function IntegrationsSection({
  t,
  lang,
  clientId,
  sites,
}: {
  t: T;
  lang: Lang;
  clientId: string;
  sites: readonly { id: string; name: string }[];
}) {
  const list = useApi(
    () => api.GET('/api/clients/{clientId}/integrations', { params: { path: { clientId } } }),
    `integrations-${clientId}`,
  );
  const [name, setName] = useState('');
  const [locationId, setLocationId] = useState(sites[0]?.id ?? '');
  const [token, setToken] = useState<string | null>(null);
  const submit = useSubmit();
  const webhook = `${location.origin}/api/integrations/alertmanager`;
  return (
    <section aria-labelledby="integrations-title" data-testid="integrations">
      <h2 id="integrations-title">{t('assets:integrations.title')}</h2>
      <p class="muted">{t('assets:integrations.help', { url: webhook })}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit
            .run(() =>
              call(
                api.POST('/api/clients/{clientId}/integrations', { params: { path: { clientId } }, body: { name, locationId } as never }),
              ),
            )
            .then((created) => {
              if (!created) return;
              setToken(created.token);
              setName('');
              list.reload();
            });
        }}
      >
        <FormAlert error={submit.error} t={() => t('assets:form.failed')} />
        <FieldErrors errors={submit.errors} scope="integration">
          <div class="form-grid">
            <Field name="name" label={t('assets:integrations.name')} value={name} onInput={setName} required />
            <Field
              name="locationId"
              label={t('assets:integrations.site')}
              value={locationId}
              onInput={setLocationId}
              options={sites.map((s) => [s.id, s.name] as const)}
            />
          </div>
        </FieldErrors>
        <button type="submit" disabled={submit.busy}>
          {t('assets:integrations.create')}
        </button>
      </form>
      {token && (
        <div class="notice" role="status" data-testid="integration-token">
          <p>{t('assets:integrations.tokenOnce')}</p>
          <code style="word-break:break-all">{token}</code>
        </div>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('assets:integrations.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('assets:integrations.name')}</th>
                <th scope="col">{t('assets:integrations.created')}</th>
                <th scope="col">{t('assets:integrations.lastUsed')}</th>
                <th scope="col">{t('assets:col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.name}</td>
                  <td>{formatDateTime(lang, i.createdAt)}</td>
                  <td>{formatDateTime(lang, i.lastUsedAt)}</td>
                  <td>
                    {i.revokedAt ? (
                      t('assets:integrations.revoked')
                    ) : (
                      <button
                        type="button"
                        class="secondary"
                        onClick={() =>
                          void call(api.DELETE('/api/integrations/{integrationId}', { params: { path: { integrationId: i.id } } })).then(
                            list.reload,
                          )
                        }
                      >
                        {t('assets:integrations.revoke')} <span class="sr-only">{i.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** On a request filed by monitoring: its alert groups, and the closing proposed once resolved before any visit. */
export function RequestAlerts({ t, lang, ticket }: { t: T; lang: Lang; ticket: string }) {
  const { data } = useApi(() => api.GET('/api/requests/{ticket}/alerts', { params: { path: { ticket } } }), `alerts-${ticket}`, 10000);
  if (!data || data.items.length === 0) return null;
  return (
    <div class="panel" data-testid="request-alerts">
      <h2>{t('assets:alerts.title')}</h2>
      {data.items.map((g) => (
        <p key={g.id}>
          {t('assets:alerts.summary', {
            name: g.integrationName,
            count: g.notifications,
            status: g.alertStatus === 'resolved' ? t('assets:alerts.resolved') : t('assets:alerts.firing'),
            last: formatDateTime(lang, g.lastNotifiedAt),
          })}
          {g.closeProposedAt && (
            <strong class="notice" role="status" data-testid="close-proposed">
              {' '}
              {t('assets:alerts.closeProposed')}
            </strong>
          )}
        </p>
      ))}
    </div>
  );
}
