/**
 * Exports for the accountant: the CSV of invoices and credit notes and the FEC of a period, and
 * the chart of accounts the FEC is written with (journal, sales accounts, VAT collected per rate,
 * client accounts), editable here.
 */
import { useState } from 'preact/hooks';
import { ApiError, call, client } from '../../api.js';
import { formText } from '../../form-text.js';
import type { paths } from '../../api-schema.js';
import type { PageProps } from '../../session.js';
import { useApi } from '../use-api.js';
import { rate, todayIso } from './format.js';

type Settings = paths['/api/finance/accounting-settings']['put']['requestBody']['content']['application/json'];

export function ExportsPage({ t, lang }: PageProps) {
  const year = todayIso().slice(0, 4);
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const [separator, setSeparator] = useState<'tab' | 'pipe'>('tab');
  const period = new URLSearchParams({ from, to });
  return (
    <section>
      <h1>{t('finance:exports.title')}</h1>
      <fieldset class="filters">
        <legend>{t('finance:exports.period')}</legend>
        <label>
          {t('finance:filters.from')}
          <input type="date" name="from" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('finance:filters.to')}
          <input type="date" name="to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
      </fieldset>
      <div class="two-columns">
        <section class="panel" aria-labelledby="csv-title">
          <h2 id="csv-title">{t('finance:exports.csv')}</h2>
          <p class="muted">{t('finance:exports.csvHelp')}</p>
          <a class="button primary" href={`/api/invoices/export.csv?${period.toString()}`} download data-testid="csv-download">
            {t('finance:exports.download')}
          </a>
        </section>
        <section class="panel" aria-labelledby="fec-title">
          <h2 id="fec-title">{t('finance:exports.fec')}</h2>
          <p class="muted">{t('finance:exports.fecHelp')}</p>
          <label>
            {t('finance:exports.separator')}
            <select value={separator} onChange={(e) => setSeparator((e.target as HTMLSelectElement).value as 'tab' | 'pipe')}>
              <option value="tab">{t('finance:exports.tab')}</option>
              <option value="pipe">{t('finance:exports.pipe')}</option>
            </select>
          </label>
          <a
            class="button primary"
            href={`/api/invoices/export.fec?${period.toString()}&separator=${separator}`}
            download
            data-testid="fec-download"
          >
            {t('finance:exports.download')}
          </a>
        </section>
      </div>
      <SettingsForm t={t} lang={lang} />
    </section>
  );
}

function SettingsForm({ t, lang }: Pick<PageProps, 't' | 'lang'>) {
  const { data, error: loadError, reload } = useApi(() => client.GET('/api/finance/accounting-settings'), 'accounting-settings');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  if (loadError) return <div class="error">{loadError}</div>;
  if (!data) return <p class="muted">{t('common.loading')}</p>;
  const s = data.settings;

  async function submit(event: Event) {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const v = (name: string) => formText(f, name);
    const account = (prefix: string) => ({ number: v(`${prefix}.number`), label: v(`${prefix}.label`) });
    const body: Settings = {
      journalCode: v('journalCode'),
      journalLabel: v('journalLabel'),
      clientAccount: account('clientAccount'),
      clientAuxiliaryPrefix: v('clientAuxiliaryPrefix'),
      salesAccounts: {
        labour: account('salesAccounts.labour'),
        travel: account('salesAccounts.travel'),
        part: account('salesAccounts.part'),
      },
      vatAccounts: s.vatAccounts.map((a, i) => ({ rateBasisPoints: a.rateBasisPoints, ...account(`vatAccounts.${i}`) })),
      defaultVatAccount: account('defaultVatAccount'),
    };
    setError(null);
    setSaved(false);
    try {
      await call(client.PUT('/api/finance/accounting-settings', { body }));
      setSaved(true);
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
    }
  }

  const message = (field: string) => error?.fields.find((e) => e.field === field)?.message;
  const input = (name: string, value: string, label: string) => (
    <label key={name}>
      {label}
      <input
        name={name}
        value={value}
        required
        aria-invalid={message(name) ? true : undefined}
        aria-describedby={message(name) ? `err-${name}` : undefined}
      />
      {message(name) && (
        <span class="field-error" id={`err-${name}`}>
          {message(name)}
        </span>
      )}
    </label>
  );
  const accountRow = (prefix: string, account: { number: string; label: string }, label: string) => (
    <div class="account-row" key={prefix}>
      {input(`${prefix}.number`, account.number, label)}
      {input(`${prefix}.label`, account.label, t('finance:settings.label'))}
    </div>
  );
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} aria-labelledby="settings-title" data-testid="accounting-settings">
      <h2 id="settings-title">{t('finance:settings.title')}</h2>
      {!data.saved && <p class="muted">{t('finance:settings.defaults')}</p>}
      <div class="account-row">
        {input('journalCode', s.journalCode, t('finance:settings.journalCode'))}
        {input('journalLabel', s.journalLabel, t('finance:settings.journalLabel'))}
      </div>
      {accountRow('clientAccount', s.clientAccount, t('finance:settings.clientAccount'))}
      {input('clientAuxiliaryPrefix', s.clientAuxiliaryPrefix, t('finance:settings.auxPrefix'))}
      {accountRow('salesAccounts.labour', s.salesAccounts.labour, t('finance:settings.sales.labour'))}
      {accountRow('salesAccounts.travel', s.salesAccounts.travel, t('finance:settings.sales.travel'))}
      {accountRow('salesAccounts.part', s.salesAccounts.part, t('finance:settings.sales.part'))}
      {s.vatAccounts.map((a, i) => accountRow(`vatAccounts.${i}`, a, t('finance:settings.vat', { rate: rate(lang, a.rateBasisPoints) })))}
      {accountRow('defaultVatAccount', s.defaultVatAccount, t('finance:settings.vatDefault'))}
      <button type="submit" class="primary">
        {t('finance:settings.save')}
      </button>
      {saved && (
        <p class="success" role="status">
          {t('finance:settings.saved')}
        </p>
      )}
      {error && !error.fields.length && (
        <p class="error" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}
