/**
 * Scheduled KPI reports: who receives them and the reports produced. An admin manages the
 * management report's subscribers, a client admin its company's; the list of reports links each
 * one's PDF and CSV (the API answers only what the account may read).
 */
import { useState } from 'preact/hooks';
import { call, client } from '../api.js';
import { formatDateTime } from '../i18n.js';
import type { PageProps } from '../session.js';
import { Check, Field, FieldErrors, FormAlert, useSubmit } from './admin/form-kit.js';
import { useApi } from './use-api.js';

/** The box the visually hidden labels of the rows are positioned in (else they widen the page). */
const SCROLL_BOX = { position: 'relative' } as const;

function day(lang: PageProps['lang'], iso: string): string {
  const [y, m, d] = iso.split('-');
  return lang === 'fr' ? `${d}/${m}/${y}` : `${y}-${m}-${d}`;
}

export function KpiReportsPage({ t, lang }: PageProps) {
  const subscriptions = useApi(() => client.GET('/api/kpi-reports/subscriptions'), 'kpi-report-subscriptions');
  const reports = useApi(() => client.GET('/api/kpi-reports'), 'kpi-reports');
  const submit = useSubmit();
  const [draft, setDraft] = useState({ userId: '', weekly: true, monthly: true });
  const [saved, setSaved] = useState(false);
  const formT = (key: 'form.failed') => t(`kpiReports:${key}`);

  async function add(e: Event) {
    e.preventDefault();
    setSaved(false);
    const done = await submit.run(() =>
      call(
        client.PUT('/api/kpi-reports/subscriptions/{userId}', {
          params: { path: { userId: draft.userId } },
          body: { weekly: draft.weekly, monthly: draft.monthly },
        }),
      ),
    );
    if (done) {
      setDraft({ userId: '', weekly: true, monthly: true });
      setSaved(true);
      subscriptions.reload();
    }
  }
  async function remove(userId: string) {
    setSaved(false);
    const done = await submit.run(() => call(client.DELETE('/api/kpi-reports/subscriptions/{userId}', { params: { path: { userId } } })));
    if (done) subscriptions.reload();
  }

  const data = subscriptions.data;
  const subscribed = new Set(data?.items.map((s) => s.userId) ?? []);
  const yesNo = (v: boolean) => (v ? t('kpiReports:yes') : t('kpiReports:no'));

  return (
    <section>
      <h1>{t('kpiReports:title')}</h1>
      <p class="muted">{t('kpiReports:help')}</p>
      {subscriptions.error && <div class="error">{subscriptions.error}</div>}
      {data && (
        <div class="panel">
          <h2 id="subscribers">
            {t('kpiReports:subscribers')} — {t(data.scope === 'management' ? 'kpiReports:scope.management' : 'kpiReports:scope.client')}
          </h2>
          {data.items.length === 0 ? (
            <p>{t('kpiReports:noSubscribers')}</p>
          ) : (
            <div class="table-scroll" style={SCROLL_BOX} tabIndex={0} role="region" aria-labelledby="subscribers">
              <table>
                <thead>
                  <tr>
                    <th>{t('kpiReports:name')}</th>
                    <th>{t('kpiReports:email')}</th>
                    <th>{t('kpiReports:weekly')}</th>
                    <th>{t('kpiReports:monthly')}</th>
                    <th>
                      <span class="sr-only">{t('kpiReports:actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody data-testid="subscribers">
                  {data.items.map((s) => (
                    <tr key={s.userId}>
                      <td>{s.displayName}</td>
                      <td>{s.email}</td>
                      <td>{yesNo(s.weekly)}</td>
                      <td>{yesNo(s.monthly)}</td>
                      <td>
                        <button type="button" class="secondary" disabled={submit.busy} onClick={() => void remove(s.userId)}>
                          {t('kpiReports:remove')} <span class="sr-only">{s.displayName}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <form onSubmit={(e) => void add(e)} noValidate aria-labelledby="add-subscriber">
            <h3 id="add-subscriber">{t('kpiReports:add')}</h3>
            <FormAlert error={submit.error} t={formT} />
            {saved && (
              <div class="success" role="status">
                {t('kpiReports:added')}
              </div>
            )}
            <FieldErrors errors={submit.errors} scope="subscription">
              <div class="form-grid">
                <Field
                  name="userId"
                  label={t('kpiReports:account')}
                  value={draft.userId}
                  onInput={(v) => setDraft({ ...draft, userId: v })}
                  options={[
                    ['', t('kpiReports:chooseAccount')] as const,
                    ...data.accounts
                      .filter((a) => !subscribed.has(a.userId))
                      .map((a) => [a.userId, `${a.displayName} <${a.email}>`] as const),
                  ]}
                />
                <Check
                  name="weekly"
                  label={t('kpiReports:weekly')}
                  checked={draft.weekly}
                  onChange={(v) => setDraft({ ...draft, weekly: v })}
                />
                <Check
                  name="monthly"
                  label={t('kpiReports:monthly')}
                  checked={draft.monthly}
                  onChange={(v) => setDraft({ ...draft, monthly: v })}
                />
              </div>
            </FieldErrors>
            <div class="form-actions">
              <button type="submit" disabled={submit.busy || draft.userId === ''}>
                {t('kpiReports:subscribe')}
              </button>
            </div>
          </form>
        </div>
      )}
      <div class="panel">
        <h2 id="reports">{t('kpiReports:reports')}</h2>
        {reports.error && <div class="error">{reports.error}</div>}
        {reports.data && reports.data.items.length === 0 && <p>{t('kpiReports:noReports')}</p>}
        {reports.data && reports.data.items.length > 0 && (
          <div class="table-scroll" style={SCROLL_BOX} tabIndex={0} role="region" aria-labelledby="reports">
            <table>
              <thead>
                <tr>
                  <th>{t('kpiReports:period')}</th>
                  <th>{t('kpiReports:kind')}</th>
                  <th>{t('kpiReports:company')}</th>
                  <th>{t('kpiReports:producedAt')}</th>
                  <th>{t('kpiReports:files')}</th>
                </tr>
              </thead>
              <tbody data-testid="reports">
                {reports.data.items.map((r) => {
                  const period = t('kpiReports:periodRange', { start: day(lang, r.periodStart), end: day(lang, r.periodLastDay) });
                  return (
                    <tr key={r.id}>
                      <td>{period}</td>
                      <td>{t(r.periodKind === 'weekly' ? 'kpiReports:weekly' : 'kpiReports:monthly')}</td>
                      <td>{r.companyName ?? t('kpiReports:management')}</td>
                      <td>{formatDateTime(lang, r.createdAt)}</td>
                      <td>
                        <a href={r.links.pdf} target="_blank" rel="noopener">
                          {t('kpiReports:pdf')}
                          <span class="sr-only"> {period}</span>
                        </a>{' '}
                        ·{' '}
                        <a href={r.links.csv} download>
                          {t('kpiReports:csv')}
                          <span class="sr-only"> {period}</span>
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
