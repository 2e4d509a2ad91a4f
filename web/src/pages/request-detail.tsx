import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { T } from '../main.js';
import { formatDateTime, type Lang } from '../i18n.js';
import { useApi } from './use-api.js';

interface Detail {
  request: {
    ticketNumber: string;
    title: string;
    description: string;
    businessImpact: string;
    attemptedSolutions: string | null;
    priority: string;
    clientStatus: string;
    status: string;
    serviceType: string;
    deviceDetails: Record<string, string>;
    contactDetails: Record<string, string>;
    createdAt: string;
  };
  timeline: Array<{ id: number; kind: string; toStatus: string | null; actorType: string; message: string | null; createdAt: string }>;
}

export function RequestDetailPage({ t, lang, ticket }: { t: T; lang: Lang; ticket: string }) {
  const { data, error, reload } = useApi<Detail>(`/requests/${ticket}`, 5000);
  const [reason, setReason] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);

  async function cancel(e: Event) {
    e.preventDefault();
    try {
      await api(`/requests/${ticket}/cancel`, { method: 'POST', body: { reason } });
      setActionError(null);
      reload();
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : String(err));
    }
  }

  if (error) return <div class="error">{error}</div>;
  if (!data) return <p class="muted">{t('common.loading')}</p>;
  const r = data.request;
  return (
    <section>
      <p>
        <a href="#/requests">{t('common.back')}</a>
      </p>
      <h1>
        {r.ticketNumber} — {r.title} <span class={`chip ${r.priority}`}>{r.priority}</span>{' '}
        <span class={`status ${r.clientStatus}`}>{t(`clientStatus.${r.clientStatus}`)}</span>
      </h1>
      <div class="grid">
        <div class="panel">
          <h2>{t('detail.problem')}</h2>
          <p>{r.description}</p>
          <dl class="kv">
            <dt>{t('col.type')}</dt>
            <dd>{t(`service.${r.serviceType}`)}</dd>
            <dt>{t('detail.impact')}</dt>
            <dd>{r.businessImpact}</dd>
            {r.attemptedSolutions && (
              <>
                <dt>{t('detail.tried')}</dt>
                <dd>{r.attemptedSolutions}</dd>
              </>
            )}
            <dt>{t('detail.device')}</dt>
            <dd>{[r.deviceDetails.brand, r.deviceDetails.model, r.deviceDetails.operatingSystem].filter(Boolean).join(' · ') || '—'}</dd>
            <dt>{t('detail.contact')}</dt>
            <dd>{[r.contactDetails.name, r.contactDetails.email, r.contactDetails.phone].filter(Boolean).join(' · ')}</dd>
          </dl>
        </div>
        <div class="panel">
          <h2>{t('detail.timeline')}</h2>
          <ol class="timeline" data-testid="timeline">
            {data.timeline.map((e) => (
              <li key={e.id}>
                <strong>{e.toStatus ?? e.kind}</strong> <span class="muted">· {e.actorType} · {formatDateTime(lang, e.createdAt)}</span>
                {e.message && <div>{e.message}</div>}
              </li>
            ))}
          </ol>
        </div>
      </div>
      {!['closed', 'cancelled'].includes(r.status) && (
        <form class="panel" onSubmit={cancel}>
          {actionError && <div class="error">{actionError}</div>}
          <div class="row">
            <label>
              {t('detail.cancelReason')}
              <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} required />
            </label>
          </div>
          <button class="primary" type="submit">
            {t('detail.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
