/** Contract consumption per contract and month: included hours used and remaining, covered and billed amounts. */
import { useState } from 'preact/hooks';
import { client } from '../../api.js';
import type { PageProps } from '../../session.js';
import { useApi } from '../use-api.js';
import { hours, money, monthName, todayIso } from './format.js';

const shift = (month: string, delta: number) => {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + delta);
  return d.toISOString().slice(0, 7);
};

export function ContractConsumptionPage({ t, lang }: PageProps) {
  const current = todayIso().slice(0, 7);
  const [from, setFrom] = useState(shift(current, -5));
  const [to, setTo] = useState(current);
  const { data, error } = useApi(
    () => client.GET('/api/finance/contract-consumption', { params: { query: { from, to } } }),
    `consumption:${from}:${to}`,
  );
  return (
    <section>
      <h1>{t('finance:consumption.title')}</h1>
      <fieldset class="filters">
        <legend>{t('finance:exports.period')}</legend>
        <label>
          {t('finance:consumption.from')}
          <input type="month" name="from" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value || from)} />
        </label>
        <label>
          {t('finance:consumption.to')}
          <input type="month" name="to" value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value || to)} />
        </label>
      </fieldset>
      <p class="muted">{t('finance:consumption.help')}</p>
      {error && (
        <div class="error" role="alert">
          {error}
        </div>
      )}
      {!data && !error && <p class="muted">{t('common.loading')}</p>}
      {data && data.items.length === 0 && <p class="muted">{t('finance:consumption.empty')}</p>}
      {data && data.items.length > 0 && (
        <div class="table-scroll" tabIndex={0}>
          <table data-testid="consumption-table">
            <thead>
              <tr>
                <th scope="col">{t('finance:col.client')}</th>
                <th scope="col">{t('finance:consumption.contract')}</th>
                <th scope="col">{t('finance:consumption.month')}</th>
                <th scope="col" class="num">
                  {t('finance:consumption.included')}
                </th>
                <th scope="col" class="num">
                  {t('finance:consumption.used')}
                </th>
                <th scope="col" class="num">
                  {t('finance:consumption.remaining')}
                </th>
                <th scope="col" class="num">
                  {t('finance:consumption.covered')}
                </th>
                <th scope="col" class="num">
                  {t('finance:consumption.billed')}
                </th>
                <th scope="col" class="num">
                  {t('finance:consumption.invoices')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={`${r.contractId}:${r.month}`}>
                  <td>{r.companyName}</td>
                  <td>
                    {r.reference}
                    <div class="muted">{r.name}</div>
                  </td>
                  <td>{monthName(lang, r.month)}</td>
                  <td class="num">{hours(r.includedMinutes)}</td>
                  <td class="num">{hours(r.usedMinutes)}</td>
                  <td class="num">{hours(r.remainingMinutes)}</td>
                  <td class="num">{money(lang, r.coveredCents)}</td>
                  <td class="num">{money(lang, r.billedExclVatCents)}</td>
                  <td class="num">{r.invoiceCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
