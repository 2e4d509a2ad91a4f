/** Client companies: the list, a new company's form, and one company's page (identity, sites, contacts, contracts). */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { call, client as api } from '../../api.js';
import type { CompanyDetail, paths } from '../../api-schema.js';
import { useApi } from '../use-api.js';
import type { AdminT } from './admin-i18n.js';
import { adminHref } from './admin-i18n.js';
import { blankless, Check, Field, FieldErrors, FormAlert, orNull, useSubmit } from './form-kit.js';
import { ContractsSection } from './contracts.js';
import { SitesSection } from './sites.js';

type CompanyBody = paths['/api/admin/clients']['post']['requestBody']['content']['application/json'];

interface Identity {
  companyName: string;
  legalName: string;
  siren: string;
  siret: string;
  vatNumber: string;
  addressLine1: string;
  postalCode: string;
  city: string;
  country: string;
  language: 'fr' | 'en';
  channels: string[];
  invoiceEmail: string;
}

const emptyIdentity: Identity = {
  companyName: '',
  legalName: '',
  siren: '',
  siret: '',
  vatNumber: '',
  addressLine1: '',
  postalCode: '',
  city: '',
  country: 'FR',
  language: 'fr',
  channels: ['email'],
  invoiceEmail: '',
};

const CHANNELS = ['email', 'phone', 'sms', 'portal'] as const;

function identityBody(v: Identity, clear: boolean) {
  const text = clear ? orNull : blankless;
  return {
    companyName: v.companyName.trim(),
    legalName: text(v.legalName),
    siren: text(v.siren),
    siret: text(v.siret),
    vatNumber: text(v.vatNumber),
    addressLine1: text(v.addressLine1),
    postalCode: text(v.postalCode),
    city: text(v.city),
    country: blankless(v.country),
    preferences: {
      language: v.language,
      notificationChannels: v.channels,
      ...(blankless(v.invoiceEmail) ? { invoiceEmail: blankless(v.invoiceEmail) } : {}),
    },
  } as unknown as CompanyBody;
}

/** The identity, billing address and preferences fields of a company. */
function IdentityFields({ t, value, set }: { t: AdminT; value: Identity; set: (v: Identity) => void }) {
  const on = (key: keyof Identity) => (v: string) => set({ ...value, [key]: v });
  return (
    <>
      <div class="form-grid">
        <Field name="companyName" label={t('company.name')} value={value.companyName} onInput={on('companyName')} required />
        <Field name="legalName" label={t('company.legalName')} value={value.legalName} onInput={on('legalName')} />
        <Field name="siren" label={t('company.siren')} value={value.siren} onInput={on('siren')} placeholder="552032534" />
        <Field name="siret" label={t('company.siret')} value={value.siret} onInput={on('siret')} placeholder="55203253400646" />
        <Field name="vatNumber" label={t('company.vat')} value={value.vatNumber} onInput={on('vatNumber')} placeholder="FR27552032534" />
        <Field name="addressLine1" label={t('company.address')} value={value.addressLine1} onInput={on('addressLine1')} />
        <Field name="postalCode" label={t('company.postalCode')} value={value.postalCode} onInput={on('postalCode')} />
        <Field name="city" label={t('company.city')} value={value.city} onInput={on('city')} />
        <Field name="country" label={t('company.country')} value={value.country} onInput={on('country')} />
      </div>
      <FieldErrors prefix="preferences.">
        <fieldset>
          <legend>{t('company.preferences')}</legend>
          <div class="form-grid">
            <Field
              name="language"
              label={t('company.language')}
              value={value.language}
              onInput={on('language')}
              options={[
                ['fr', 'Français'],
                ['en', 'English'],
              ]}
            />
            <Field
              name="invoiceEmail"
              label={t('company.invoiceEmail')}
              type="email"
              value={value.invoiceEmail}
              onInput={on('invoiceEmail')}
            />
          </div>
          <div class="form-actions" role="group" aria-label={t('company.channels')}>
            {CHANNELS.map((c) => (
              <Check
                key={c}
                name={`notificationChannels.${c}`}
                label={t(`mode.${c}`)}
                checked={value.channels.includes(c)}
                onChange={(on) => set({ ...value, channels: on ? [...value.channels, c] : value.channels.filter((x) => x !== c) })}
              />
            ))}
          </div>
        </fieldset>
      </FieldErrors>
    </>
  );
}

/** Every client company, and the form that creates one. */
export function CompaniesPage({ t }: { t: AdminT }) {
  const list = useApi(() => api.GET('/api/admin/clients'), 'admin-clients');
  const [draft, setDraft] = useState<Identity>(emptyIdentity);
  const submit = useSubmit();
  const { route } = useLocation();

  async function create(e: Event) {
    e.preventDefault();
    const created = await submit.run(() => call(api.POST('/api/admin/clients', { body: identityBody(draft, false) })));
    if (created) route(adminHref(`/admin/clients/${created.id}`));
  }

  return (
    <section>
      <h1>{t('companies.title')}</h1>
      {list.error && <div class="error">{list.error}</div>}
      <div class="admin-columns">
        <div class="panel">
          <h2>{t('companies.list')}</h2>
          <ul data-testid="companies">
            {list.data?.items.map((c) => (
              <li key={c.id}>
                <a href={adminHref(`/admin/clients/${c.id}`)}>{c.companyName}</a> {c.city ? `— ${c.city}` : ''}
              </li>
            ))}
          </ul>
        </div>
        <form class="panel" onSubmit={(e) => void create(e)} noValidate aria-labelledby="new-company">
          <h2 id="new-company">{t('companies.new')}</h2>
          <FormAlert error={submit.error} t={t} />
          <FieldErrors errors={submit.errors}>
            <IdentityFields t={t} value={draft} set={setDraft} />
          </FieldErrors>
          <div class="form-actions">
            <button type="submit" disabled={submit.busy}>
              {t('companies.create')}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}

function identityOf(c: CompanyDetail): Identity {
  return {
    companyName: c.companyName,
    legalName: c.legalName ?? '',
    siren: c.siren ?? '',
    siret: c.siret ?? '',
    vatNumber: c.vatNumber ?? '',
    addressLine1: c.addressLine1 ?? '',
    postalCode: c.postalCode ?? '',
    city: c.city ?? '',
    country: c.country,
    language: c.preferences.language ?? 'fr',
    channels: c.preferences.notificationChannels ?? ['email'],
    invoiceEmail: c.preferences.invoiceEmail ?? '',
  };
}

/** One company: identity (admins), sites with opening hours and closures, contacts, contracts (admins). */
export function CompanyPage({ t, clientId, isAdmin }: { t: AdminT; clientId: string; isAdmin: boolean }) {
  const detail = useApi(() => api.GET('/api/clients/{clientId}', { params: { path: { clientId } } }), `client-${clientId}`);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const submit = useSubmit();
  const [saved, setSaved] = useState(false);
  const company = detail.data;
  const shown = identity ?? (company ? identityOf(company) : null);

  async function save(e: Event) {
    e.preventDefault();
    if (!shown) return;
    setSaved(false);
    const done = await submit.run(() =>
      call(api.PATCH('/api/clients/{clientId}', { params: { path: { clientId } }, body: identityBody(shown, true) })),
    );
    if (done) {
      setSaved(true);
      setIdentity(null);
      detail.reload();
    }
  }

  if (detail.error) return <div class="error">{detail.error}</div>;
  if (!company || !shown) return <p>{t('loading')}</p>;
  return (
    <section>
      <p>
        <a href={adminHref('/admin/clients')}>← {t('companies.title')}</a>
      </p>
      <h1 data-testid="company-title">{company.companyName}</h1>
      {isAdmin && (
        <form class="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="identity">
          <h2 id="identity">{t('company.identity')}</h2>
          <FormAlert error={submit.error} t={t} />
          {saved && (
            <div class="success" role="status">
              {t('saved')}
            </div>
          )}
          <FieldErrors errors={submit.errors}>
            <IdentityFields t={t} value={shown} set={setIdentity} />
          </FieldErrors>
          <div class="form-actions">
            <button type="submit" disabled={submit.busy}>
              {t('save')}
            </button>
          </div>
        </form>
      )}
      <SitesSection t={t} company={company} onChange={detail.reload} />
      <ContactsSection t={t} company={company} onChange={detail.reload} />
      {isAdmin && <ContractsSection t={t} company={company} onChange={detail.reload} />}
    </section>
  );
}

type ContactBody = paths['/api/clients/{clientId}/contacts']['post']['requestBody']['content']['application/json'];

/** The company's contacts: the list (remove) and the form that adds one. */
function ContactsSection({ t, company, onChange }: { t: AdminT; company: CompanyDetail; onChange: () => void }) {
  const empty = { firstName: '', lastName: '', jobTitle: '', email: '', phone: '', preferredContactMode: 'email', isPrimary: false };
  const [draft, setDraft] = useState(empty);
  const submit = useSubmit();
  const on = (key: keyof typeof empty) => (v: string) => setDraft({ ...draft, [key]: v });

  async function add(e: Event) {
    e.preventDefault();
    const body = {
      firstName: draft.firstName.trim(),
      lastName: draft.lastName.trim(),
      email: draft.email.trim(),
      jobTitle: blankless(draft.jobTitle),
      phone: blankless(draft.phone),
      preferredContactMode: draft.preferredContactMode,
      isPrimary: draft.isPrimary,
    } as unknown as ContactBody;
    const done = await submit.run(() =>
      call(api.POST('/api/clients/{clientId}/contacts', { params: { path: { clientId: company.id } }, body })),
    );
    if (done) {
      setDraft(empty);
      onChange();
    }
  }
  async function remove(contactId: string) {
    const done = await submit.run(() =>
      call(api.DELETE('/api/contacts/{contactId}', { params: { path: { contactId } } })).then(() => true),
    );
    if (done) onChange();
  }

  return (
    <div class="panel">
      <h2>{t('contacts.title')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('contacts.name')}</th>
            <th>{t('contacts.email')}</th>
            <th>{t('contacts.phone')}</th>
            <th>{t('contacts.mode')}</th>
            <th>
              <span class="sr-only">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody data-testid="contacts">
          {company.contacts.map((c) => (
            <tr key={c.id}>
              <td>
                {c.firstName} {c.lastName} {c.isPrimary ? `(${t('contacts.primary')})` : ''}
                {c.jobTitle ? ` — ${c.jobTitle}` : ''}
              </td>
              <td>{c.email}</td>
              <td>{c.phone ?? ''}</td>
              <td>{t(`mode.${c.preferredContactMode}`)}</td>
              <td>
                <button type="button" class="secondary" onClick={() => void remove(c.id)}>
                  {t('remove')} <span class="sr-only">{`${c.firstName} ${c.lastName}`}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={(e) => void add(e)} noValidate aria-labelledby="new-contact">
        <h3 id="new-contact">{t('contacts.new')}</h3>
        <FormAlert error={submit.error} t={t} />
        <FieldErrors errors={submit.errors} scope="contact">
          <div class="form-grid">
            <Field name="firstName" label={t('contacts.firstName')} value={draft.firstName} onInput={on('firstName')} />
            <Field name="lastName" label={t('contacts.lastName')} value={draft.lastName} onInput={on('lastName')} />
            <Field name="jobTitle" label={t('contacts.jobTitle')} value={draft.jobTitle} onInput={on('jobTitle')} />
            <Field name="email" label={t('contacts.email')} type="email" value={draft.email} onInput={on('email')} />
            <Field name="phone" label={t('contacts.phone')} type="tel" value={draft.phone} onInput={on('phone')} />
            <Field
              name="preferredContactMode"
              label={t('contacts.mode')}
              value={draft.preferredContactMode}
              onInput={on('preferredContactMode')}
              options={CHANNELS.map((c) => [c, t(`mode.${c}`)] as const)}
            />
            <Check
              name="isPrimary"
              label={t('contacts.primary')}
              checked={draft.isPrimary}
              onChange={(v) => setDraft({ ...draft, isPrimary: v })}
            />
          </div>
        </FieldErrors>
        <div class="form-actions">
          <button type="submit" disabled={submit.busy}>
            {t('contacts.add')}
          </button>
        </div>
      </form>
    </div>
  );
}
