import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, call, client as api } from '../api.js';
import type { IntakeConfirmed, IntakeRegistered, paths } from '../api-schema.js';
import type { T } from '../session.js';
// The form offers exactly what the API accepts.
import { CONTACT_MODES, LEVELS, SERVICE_TYPES } from '../vocabulary.js';
import { useApi } from './use-api.js';
import { formText } from '../form-text.js';
import { FieldError, invalid } from '../field-error.js';
import { SelfHelp } from './knowledge-self-help.js';

/**
 * The form's Idempotency-Key: one per form content, so a double click or a retry after a dropped
 * connection is the same intake (the API answers with the ticket it already has), while a form
 * changed after an answer is a new one (the same key with another body would be refused, 409).
 */
function useIntakeKey(): (body: unknown) => string {
  const [held] = useState(() => ({ key: crypto.randomUUID(), body: '' }));
  return (body) => {
    const json = JSON.stringify(body);
    if (held.body !== '' && held.body !== json) held.key = crypto.randomUUID();
    held.body = json;
    return held.key;
  };
}

/** The intake form of the specification, with the API's field errors shown next to the form. */
export function NewRequestPage({ t }: { t: T }) {
  const { data } = useApi(() => api.GET('/api/clients'), 'clients');
  const [clientId, setClientId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<IntakeConfirmed | IntakeRegistered | null>(null);
  const [nature, setNature] = useState('');
  const submitted = useRef(false);
  const intakeKey = useIntakeKey();
  const client = useMemo(() => data?.items.find((c) => c.id === clientId) ?? data?.items[0], [data, clientId]);
  // The company's registered assets (retired ones left out): the request can name one.
  const assets = useApi(
    () => api.GET('/api/assets', { params: { query: { ...(client ? { clientId: client.id } : {}), limit: 500 } } }),
    `assets-${client?.id ?? ''}`,
  );
  const pickable = (assets.data?.items ?? []).filter((a) => a.clientId === client?.id && a.status !== 'retired');

  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const v = (k: string) => {
      const value = formText(f, k).trim();
      return value === '' ? undefined : value;
    };
    const body = {
      clientId: client?.id,
      locationId: v('locationId'),
      assetId: v('assetId'),
      ...(client?.contracts[0] ? { contractId: client.contracts[0].id } : {}),
      serviceType: v('serviceType'),
      title: v('title'),
      device:
        v('brand') || v('model')
          ? { brand: v('brand'), model: v('model'), operatingSystem: v('os'), purchaseDate: v('purchaseDate') }
          : undefined,
      location: { department: v('department'), onSiteContactName: v('onSiteName'), onSiteContactPhone: v('onSitePhone') },
      contact: { name: v('contactName'), email: v('email'), phone: v('phone'), preferredContactMode: v('mode') },
      problem: {
        nature: v('nature'),
        businessImpact: v('businessImpact'),
        impactLevel: v('impactLevel'),
        urgency: v('urgency'),
        attemptedSolutions: v('tried'),
      },
    };
    setBusy(true);
    setError(null);
    try {
      // Sent as typed, blanks left out: the API names each missing or invalid field (shown below).
      const intake = body as unknown as paths['/api/requests']['post']['requestBody']['content']['application/json'];
      const outcome = await call(api.POST('/api/requests', { body: intake, headers: { 'Idempotency-Key': intakeKey(body) } }));
      // Submitted: the articles read were not a deflection.
      submitted.current = true;
      setDone(outcome);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'network', String(err)));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section>
        <div class="success" data-testid="confirmation">
          <h1>{t('confirmed' in done ? 'newRequest:confirm.pendingTitle' : 'newRequest:confirm.title')}</h1>
          {'confirmed' in done && <p data-testid="confirmation-pending">{t('newRequest:confirm.pendingNote')}</p>}
          <dl class="kv">
            <dt>{t('newRequest:confirm.ticket')}</dt>
            <dd>
              <a href={`/requests/${done.ticketNumber}`}>{done.ticketNumber}</a>
            </dd>
            <dt>{t('newRequest:confirm.priority')}</dt>
            <dd>
              <span class={`chip ${done.priority}`}>{done.priority}</span>
            </dd>
            <dt>{t('newRequest:confirm.status')}</dt>
            <dd>{t(`clientStatus.${done.clientStatus}`)}</dd>
          </dl>
        </div>
      </section>
    );
  }

  return (
    <section>
      <h1>{t('nav.new')}</h1>
      {error && (
        <div class="error" role="alert">
          {t('newRequest:form.invalid')}
          <ul>
            {(error.fields.length ? error.fields : [{ field: error.code, message: error.message }]).map((f) => (
              <li key={f.field}>
                <code>{f.field}</code> — {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form class="panel" onSubmit={(e) => void submit(e)} noValidate>
        <div class="row">
          <label>
            {t('newRequest:form.client')}
            <select
              name="clientId"
              {...invalid(error, 'clientId')}
              value={client?.id ?? ''}
              onChange={(e) => setClientId((e.target as HTMLSelectElement).value)}
            >
              {data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.companyName}
                </option>
              ))}
            </select>
            <FieldError error={error} field="clientId" />
          </label>
          <label>
            {t('newRequest:form.site')}
            <select name="locationId" {...invalid(error, 'locationId')}>
              {client?.locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
            <FieldError error={error} field="locationId" />
          </label>
          <label>
            {t('newRequest:form.serviceType')}
            <select name="serviceType" {...invalid(error, 'serviceType')}>
              {SERVICE_TYPES.map((s) => (
                <option key={s} value={s}>
                  {t(`service.${s}`)}
                </option>
              ))}
            </select>
            <FieldError error={error} field="serviceType" />
          </label>
        </div>
        <div class="row">
          <label>
            {t('newRequest:form.title')}
            <input name="title" {...invalid(error, 'title')} />
            <FieldError error={error} field="title" />
          </label>
        </div>
        <h2>{t('newRequest:form.device')}</h2>
        {pickable.length > 0 && (
          <div class="row">
            <label>
              {t('newRequest:form.asset')}
              <select name="assetId" {...invalid(error, 'assetId')}>
                <option value="">{t('newRequest:form.assetNone')}</option>
                {pickable.map((a) => (
                  <option key={a.id} value={a.id}>
                    {[`${a.brand} ${a.model}`, a.serialNumber, a.hostname, a.locationName].filter(Boolean).join(' · ')}
                  </option>
                ))}
              </select>
              <FieldError error={error} field="assetId" />
            </label>
          </div>
        )}
        <div class="row">
          <label>
            {t('newRequest:form.brand')}
            <input name="brand" {...invalid(error, 'device.brand')} />
            <FieldError error={error} field="device.brand" />
          </label>
          <label>
            {t('newRequest:form.model')}
            <input name="model" {...invalid(error, 'device.model')} />
            <FieldError error={error} field="device.model" />
          </label>
          <label>
            {t('newRequest:form.os')}
            <input name="os" {...invalid(error, 'device.operatingSystem')} />
            <FieldError error={error} field="device.operatingSystem" />
          </label>
          <label>
            {t('newRequest:form.purchaseDate')}
            <input name="purchaseDate" {...invalid(error, 'device.purchaseDate')} type="date" />
            <FieldError error={error} field="device.purchaseDate" />
          </label>
        </div>
        <h2>{t('newRequest:form.location')}</h2>
        <div class="row">
          <label>
            {t('newRequest:form.department')}
            <input name="department" {...invalid(error, 'location.department')} />
            <FieldError error={error} field="location.department" />
          </label>
          <label>
            {t('newRequest:form.onSiteName')}
            <input name="onSiteName" {...invalid(error, 'location.onSiteContactName')} />
            <FieldError error={error} field="location.onSiteContactName" />
          </label>
          <label>
            {t('newRequest:form.onSitePhone')}
            <input name="onSitePhone" {...invalid(error, 'location.onSiteContactPhone')} />
            <FieldError error={error} field="location.onSiteContactPhone" />
          </label>
        </div>
        <h2>{t('newRequest:form.contact')}</h2>
        <div class="row">
          <label>
            {t('newRequest:form.contactName')}
            <input name="contactName" {...invalid(error, 'contact.name')} />
            <FieldError error={error} field="contact.name" />
          </label>
          <label>
            {t('newRequest:form.email')}
            <input name="email" {...invalid(error, 'contact.email')} type="email" />
            <FieldError error={error} field="contact.email" />
          </label>
          <label>
            {t('newRequest:form.phone')}
            <input name="phone" {...invalid(error, 'contact.phone')} />
            <FieldError error={error} field="contact.phone" />
          </label>
          <label>
            {t('newRequest:form.mode')}
            <select name="mode" {...invalid(error, 'contact.preferredContactMode')}>
              {CONTACT_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`mode.${m}`)}
                </option>
              ))}
            </select>
            <FieldError error={error} field="contact.preferredContactMode" />
          </label>
        </div>
        <h2>{t('newRequest:form.problem')}</h2>
        <div class="row">
          <label>
            {t('newRequest:form.nature')}
            <textarea name="nature" {...invalid(error, 'problem.nature')} onInput={(e) => setNature(e.currentTarget.value)} />
            <FieldError error={error} field="problem.nature" />
          </label>
          <SelfHelp t={t} text={nature} submitted={submitted} />
          <label>
            {t('newRequest:form.businessImpact')}
            <textarea name="businessImpact" {...invalid(error, 'problem.businessImpact')} />
            <FieldError error={error} field="problem.businessImpact" />
          </label>
          <label>
            {t('newRequest:form.tried')}
            <textarea name="tried" {...invalid(error, 'problem.attemptedSolutions')} />
            <FieldError error={error} field="problem.attemptedSolutions" />
          </label>
        </div>
        <div class="row">
          <label>
            {t('newRequest:form.impactLevel')}
            <select name="impactLevel" {...invalid(error, 'problem.impactLevel')} defaultValue="medium">
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`level.${l}`)}
                </option>
              ))}
            </select>
            <FieldError error={error} field="problem.impactLevel" />
          </label>
          <label>
            {t('newRequest:form.urgency')}
            <select name="urgency" {...invalid(error, 'problem.urgency')} defaultValue="medium">
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`level.${l}`)}
                </option>
              ))}
            </select>
            <FieldError error={error} field="problem.urgency" />
          </label>
        </div>
        <button class="primary" type="submit" disabled={busy}>
          {busy ? t('newRequest:form.sending') : t('newRequest:form.submit')}
        </button>
      </form>
    </section>
  );
}
