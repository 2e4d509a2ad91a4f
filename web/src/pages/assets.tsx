/**
 * The asset registry (issue 13): the list with its filters, a new asset's form and the CSV import
 * with its per-line report (company admins and staff), and one asset's page (its form and its
 * history in time order). The API decides whose assets are shown and who may change them.
 */
import { useState } from 'preact/hooks';
import { call, client as api } from '../api.js';
import type { paths } from '../api-schema.js';
import { formatDateTime, type Lang } from '../i18n.js';
import type { Me, T } from '../session.js';
import { blankless, Field, FieldErrors, FormAlert, orNull, useSubmit } from './admin/form-kit.js';
import { useApi } from './use-api.js';
import { IntegrationsSection } from './monitoring.js';

type Asset = paths['/api/assets/{assetId}']['get']['responses'][200]['content']['application/json'];
type CreateBody = paths['/api/clients/{clientId}/assets']['post']['requestBody']['content']['application/json'];
type ImportReport = paths['/api/clients/{clientId}/assets/import']['post']['responses'][200]['content']['application/json'];

const KINDS = ['workstation', 'laptop', 'server', 'printer', 'network', 'nas', 'phone', 'other'] as const;
const STATUSES = ['in_service', 'in_repair', 'retired'] as const;
const MANAGERS: readonly Me['role'][] = ['client_admin', 'support_agent', 'dispatcher', 'admin'];

const kindLabel = (t: T, kind: string) => t(`assets:kind.${kind as (typeof KINDS)[number]}`);
const statusLabel = (t: T, status: string) => t(`assets:status.${status as (typeof STATUSES)[number]}`);
const dayOf = (lang: Lang, iso: string | null) =>
  iso ? new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) : '—';

interface FormValue {
  kind: string;
  brand: string;
  model: string;
  serialNumber: string;
  hostname: string;
  operatingSystem: string;
  purchaseDate: string;
  warrantyEndsOn: string;
  locationId: string;
  department: string;
  contractId: string;
  status: string;
  notes: string;
}

const blank: FormValue = {
  kind: 'workstation',
  brand: '',
  model: '',
  serialNumber: '',
  hostname: '',
  operatingSystem: '',
  purchaseDate: '',
  warrantyEndsOn: '',
  locationId: '',
  department: '',
  contractId: '',
  status: 'in_service',
  notes: '',
};

function valueOf(a: Asset): FormValue {
  return {
    kind: a.kind,
    brand: a.brand,
    model: a.model,
    serialNumber: a.serialNumber ?? '',
    hostname: a.hostname ?? '',
    operatingSystem: a.operatingSystem ?? '',
    purchaseDate: a.purchaseDate ?? '',
    warrantyEndsOn: a.warrantyEndsOn ?? '',
    locationId: a.locationId ?? '',
    department: a.department ?? '',
    contractId: a.contractId ?? '',
    status: a.status,
    notes: a.notes ?? '',
  };
}

function bodyOf(v: FormValue, clear: boolean) {
  const text = clear ? orNull : blankless;
  return {
    kind: v.kind,
    brand: v.brand.trim(),
    model: v.model.trim(),
    serialNumber: text(v.serialNumber),
    hostname: text(v.hostname),
    operatingSystem: text(v.operatingSystem),
    purchaseDate: text(v.purchaseDate),
    warrantyEndsOn: text(v.warrantyEndsOn),
    locationId: text(v.locationId),
    department: text(v.department),
    contractId: text(v.contractId),
    status: v.status,
    notes: text(v.notes),
  } as unknown as CreateBody;
}

type Company = {
  id: string;
  companyName: string;
  locations: { id: string; name: string }[];
  contracts: { id: string; reference: string }[];
};

/** The fields of an asset (its company's sites and contracts to choose from). */
function AssetForm({
  t,
  company,
  initial,
  submitLabel,
  onSubmit,
}: {
  t: T;
  company: Company | undefined;
  initial: FormValue;
  submitLabel: string;
  onSubmit: (v: FormValue) => Promise<unknown>;
}) {
  const [value, setValue] = useState(initial);
  const [saved, setSaved] = useState(false);
  const submit = useSubmit();
  const on = (key: keyof FormValue) => (v: string) => {
    setSaved(false);
    setValue({ ...value, [key]: v });
  };
  const none: [string, string] = ['', t('assets:form.none')];
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(() => onSubmit(value)).then((r) => r !== undefined && setSaved(true));
      }}
    >
      <FormAlert error={submit.error} t={() => t('assets:form.failed')} />
      <FieldErrors errors={submit.errors} scope="asset">
        <div class="form-grid">
          <Field
            name="kind"
            label={t('assets:col.kind')}
            value={value.kind}
            onInput={on('kind')}
            options={KINDS.map((k) => [k, kindLabel(t, k)])}
          />
          <Field name="brand" label={t('assets:form.brand')} value={value.brand} onInput={on('brand')} required />
          <Field name="model" label={t('assets:form.model')} value={value.model} onInput={on('model')} required />
          <Field name="serialNumber" label={t('assets:form.serial')} value={value.serialNumber} onInput={on('serialNumber')} />
          <Field name="hostname" label={t('assets:form.hostname')} value={value.hostname} onInput={on('hostname')} />
          <Field name="operatingSystem" label={t('assets:form.os')} value={value.operatingSystem} onInput={on('operatingSystem')} />
          <Field
            name="purchaseDate"
            type="date"
            label={t('assets:form.purchaseDate')}
            value={value.purchaseDate}
            onInput={on('purchaseDate')}
          />
          <Field
            name="warrantyEndsOn"
            type="date"
            label={t('assets:form.warrantyEnd')}
            value={value.warrantyEndsOn}
            onInput={on('warrantyEndsOn')}
          />
          <Field
            name="locationId"
            label={t('assets:form.site')}
            value={value.locationId}
            onInput={on('locationId')}
            options={[none, ...(company?.locations ?? []).map((l) => [l.id, l.name] as const)]}
          />
          <Field name="department" label={t('assets:form.department')} value={value.department} onInput={on('department')} />
          <Field
            name="contractId"
            label={t('assets:form.contract')}
            value={value.contractId}
            onInput={on('contractId')}
            options={[none, ...(company?.contracts ?? []).map((c) => [c.id, c.reference] as const)]}
          />
          <Field
            name="status"
            label={t('assets:col.status')}
            value={value.status}
            onInput={on('status')}
            options={STATUSES.map((s) => [s, statusLabel(t, s)])}
          />
          <Field name="notes" label={t('assets:form.notes')} value={value.notes} onInput={on('notes')} multiline />
        </div>
      </FieldErrors>
      <button type="submit" disabled={submit.busy}>
        {submitLabel}
      </button>
      {saved && (
        <p role="status" class="muted">
          {t('assets:form.saved')}
        </p>
      )}
    </form>
  );
}

/** The CSV import: check or import, then the report line by line. */
function ImportSection({ t, clientId, onImported }: { t: T; clientId: string; onImported: () => void }) {
  const [csv, setCsv] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const submit = useSubmit();
  async function send(dryRun: boolean) {
    if (csv === null) return;
    const result = await submit.run(() =>
      call(api.POST('/api/clients/{clientId}/assets/import', { params: { path: { clientId } }, body: { csv, dryRun } })),
    );
    if (result) {
      setReport(result);
      if (!dryRun) onImported();
    }
  }
  const valid = report?.lines.filter((l) => l.outcome === 'valid').length ?? 0;
  return (
    <section aria-labelledby="asset-import-title">
      <h2 id="asset-import-title">{t('assets:import.title')}</h2>
      <p class="muted">{t('assets:import.help')}</p>
      <FormAlert error={submit.error} t={() => t('assets:form.failed')} />
      <div class="field">
        <label for="asset-import-file">{t('assets:import.file')}</label>
        <input
          id="asset-import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            setReport(null);
            if (file) void file.text().then(setCsv);
            else setCsv(null);
          }}
        />
      </div>
      <div class="actions">
        <button type="button" class="secondary" disabled={csv === null || submit.busy} onClick={() => void send(true)}>
          {t('assets:import.check')}
        </button>{' '}
        <button type="button" disabled={csv === null || submit.busy} onClick={() => void send(false)}>
          {t('assets:import.run')}
        </button>
      </div>
      {report && (
        <div data-testid="import-report">
          <p role="status">{t('assets:import.summary', { imported: report.imported, valid, refused: report.refused })}</p>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={t('assets:import.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('assets:import.line')}</th>
                  <th scope="col">{t('assets:import.outcome')}</th>
                  <th scope="col">{t('assets:import.reasons')}</th>
                </tr>
              </thead>
              <tbody>
                {report.lines.map((l) => (
                  <tr key={l.line} data-outcome={l.outcome}>
                    <td>{l.line}</td>
                    <td>{t(`assets:outcome.${l.outcome}`)}</td>
                    <td>{l.errors.map((e) => `${e.field} : ${e.message}`).join(' ; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

export function AssetsPage({ t, lang, me }: { t: T; lang: Lang; me: Me }) {
  const companies = useApi(() => api.GET('/api/clients'), 'clients');
  const staff = !me.clientId;
  const [filter, setFilter] = useState({ clientId: me.clientId ?? '', kind: '', status: '', locationId: '', q: '', warrantyEndsBy: '' });
  const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== '')) as Record<string, string>;
  const key = JSON.stringify(query);
  const list = useApi(() => api.GET('/api/assets', { params: { query: query as never } }), `assets-${key}`);
  const company = companies.data?.items.find((c) => c.id === filter.clientId) ?? (me.clientId ? companies.data?.items[0] : undefined);
  const manages = MANAGERS.includes(me.role) && company !== undefined;
  const on = (k: keyof typeof filter) => (v: string) => setFilter({ ...filter, [k]: v, ...(k === 'clientId' ? { locationId: '' } : {}) });
  const all: [string, string] = ['', t('assets:filter.all')];
  return (
    <section>
      <h1>{t('assets:title')}</h1>
      <p class="muted">{t('assets:help')}</p>
      <form role="search" aria-label={t('assets:filter.title')} onSubmit={(e) => e.preventDefault()}>
        <div class="form-grid">
          {staff && (
            <Field
              name="clientId"
              label={t('assets:filter.company')}
              value={filter.clientId}
              onInput={on('clientId')}
              options={[all, ...(companies.data?.items ?? []).map((c) => [c.id, c.companyName] as const)]}
            />
          )}
          <Field
            name="kind"
            label={t('assets:filter.kind')}
            value={filter.kind}
            onInput={on('kind')}
            options={[all, ...KINDS.map((k) => [k, kindLabel(t, k)] as const)]}
          />
          <Field
            name="status"
            label={t('assets:filter.status')}
            value={filter.status}
            onInput={on('status')}
            options={[all, ...STATUSES.map((s) => [s, statusLabel(t, s)] as const)]}
          />
          {company && (
            <Field
              name="locationId"
              label={t('assets:filter.site')}
              value={filter.locationId}
              onInput={on('locationId')}
              options={[all, ...company.locations.map((l) => [l.id, l.name] as const)]}
            />
          )}
          <Field name="q" label={t('assets:filter.text')} value={filter.q} onInput={on('q')} />
          <Field
            name="warrantyEndsBy"
            type="date"
            label={t('assets:filter.warrantyBy')}
            value={filter.warrantyEndsBy}
            onInput={on('warrantyEndsBy')}
          />
        </div>
      </form>
      {list.error && <div class="error">{list.error}</div>}
      {list.data && (
        <>
          <p role="status">{t('assets:count', { count: list.data.total })}</p>
          {list.data.items.length === 0 ? (
            <p class="muted">{t('assets:empty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-label={t('assets:title')}>
              <table data-testid="asset-list">
                <thead>
                  <tr>
                    <th scope="col">{t('assets:col.asset')}</th>
                    {staff && <th scope="col">{t('assets:col.company')}</th>}
                    <th scope="col">{t('assets:col.kind')}</th>
                    <th scope="col">{t('assets:col.serial')}</th>
                    <th scope="col">{t('assets:col.hostname')}</th>
                    <th scope="col">{t('assets:col.site')}</th>
                    <th scope="col">{t('assets:col.warranty')}</th>
                    <th scope="col">{t('assets:col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <a href={`/assets/${a.id}`}>
                          {a.brand} {a.model}
                        </a>
                      </td>
                      {staff && <td>{a.clientName}</td>}
                      <td>{kindLabel(t, a.kind)}</td>
                      <td>{a.serialNumber ?? '—'}</td>
                      <td>{a.hostname ?? '—'}</td>
                      <td>{a.locationName ?? '—'}</td>
                      <td>{dayOf(lang, a.warrantyEndsOn)}</td>
                      <td>{statusLabel(t, a.status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {manages && (
        <>
          <details>
            <summary>{t('assets:form.new')}</summary>
            <AssetForm
              key={company.id}
              t={t}
              company={company}
              initial={blank}
              submitLabel={t('assets:form.save')}
              onSubmit={async (v) => {
                const created = await call(
                  api.POST('/api/clients/{clientId}/assets', { params: { path: { clientId: company.id } }, body: bodyOf(v, false) }),
                );
                list.reload();
                return created;
              }}
            />
          </details>
          <ImportSection key={`import-${company.id}`} t={t} clientId={company.id} onImported={list.reload} />
          {me.role !== 'dispatcher' && (
            <IntegrationsSection key={`integrations-${company.id}`} t={t} lang={lang} clientId={company.id} sites={company.locations} />
          )}
        </>
      )}
    </section>
  );
}

export function AssetPage({ t, lang, me, params }: { t: T; lang: Lang; me: Me; params: Record<string, string | undefined> }) {
  const assetId = params.assetId ?? '';
  const history = useApi(() => api.GET('/api/assets/{assetId}/history', { params: { path: { assetId } } }), `asset-${assetId}`);
  const companies = useApi(() => api.GET('/api/clients'), 'clients');
  const asset = history.data?.asset;
  const company = companies.data?.items.find((c) => c.id === asset?.clientId);
  return (
    <section>
      <p>
        <a href="/assets">{t('assets:detail.back')}</a>
      </p>
      {history.error && <div class="error">{history.error}</div>}
      {asset && history.data && (
        <>
          <h1>
            {asset.brand} {asset.model}
          </h1>
          <p class="muted">
            {kindLabel(t, asset.kind)} · {statusLabel(t, asset.status)} · {asset.clientName}
            {asset.serialNumber ? ` · ${asset.serialNumber}` : ''}
            {asset.hostname ? ` · ${asset.hostname}` : ''}
          </p>
          <h2>{t('assets:detail.history')}</h2>
          {history.data.entries.length === 0 ? (
            <p class="muted">{t('assets:detail.historyEmpty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-label={t('assets:detail.history')}>
              <table data-testid="asset-history">
                <thead>
                  <tr>
                    <th scope="col">{t('assets:history.when')}</th>
                    <th scope="col">{t('assets:history.what')}</th>
                    <th scope="col">{t('assets:history.ticket')}</th>
                    <th scope="col">{t('assets:history.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.data.entries.map((e, i) => (
                    <tr key={i} data-kind={e.kind}>
                      <td>{formatDateTime(lang, e.at)}</td>
                      <td>{t(`assets:entry.${e.kind}`)}</td>
                      <td>
                        <a href={`/requests/${e.ticketNumber}`}>{e.ticketNumber}</a>
                      </td>
                      <td>
                        {e.kind === 'request' && `${e.priority} · ${e.title}`}
                        {e.kind === 'visit' && `${e.technicianName ?? ''} ${e.endedAt ? `→ ${formatDateTime(lang, e.endedAt)}` : ''}`}
                        {e.kind === 'part' &&
                          `${e.quantity} × ${e.label} (${e.sku})${e.serialNumbers.length ? ` · ${t('assets:entry.serials', { serials: e.serialNumbers.join(', ') })}` : ''}${e.underWarranty ? ` · ${t('assets:entry.warranty')}` : ''}`}
                        {e.kind === 'report' && e.summary}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {MANAGERS.includes(me.role) && company && (
            <details>
              <summary>{t('assets:form.edit')}</summary>
              <AssetForm
                key={asset.id}
                t={t}
                company={company}
                initial={valueOf(asset)}
                submitLabel={t('assets:form.save')}
                onSubmit={async (v) => {
                  const changed = await call(
                    api.PATCH('/api/assets/{assetId}', { params: { path: { assetId } }, body: bodyOf(v, true) as never }),
                  );
                  history.reload();
                  return changed;
                }}
              />
            </details>
          )}
        </>
      )}
    </section>
  );
}
