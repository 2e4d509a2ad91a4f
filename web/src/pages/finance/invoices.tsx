/**
 * Invoices and credit notes: filters (period, client, type, payment status), the totals of the
 * selection (excl. VAT, VAT per rate, incl. VAT) and the table. The filters live in the address
 * (`?from=…&status=overdue`), so a filtered view can be bookmarked or shared. A client company's
 * admin sees its own invoices and their payment status (no client filter).
 */
import { Fragment } from 'preact';
import { useLocation } from 'preact-iso';
import { client } from '../../api.js';
import type { PageProps } from '../../session.js';
import { useApi } from '../use-api.js';
import { day, money, rate } from './format.js';

type Query = { from?: string; to?: string; clientId?: string; type?: 'invoice' | 'credit_note'; status?: 'unpaid' | 'paid' | 'overdue' };
const FIELDS = ['from', 'to', 'clientId', 'type', 'status'] as const;

export function InvoicesPage({ t, lang, me }: PageProps) {
  const { query, url, route } = useLocation();
  const staff = me.role === 'finance' || me.role === 'admin';
  const filters: Query = Object.fromEntries(FIELDS.filter((f) => query[f]).map((f) => [f, query[f]]));
  const key = new URLSearchParams(filters).toString();
  const { data, error } = useApi(() => client.GET('/api/invoices', { params: { query: filters } }), `invoices?${key}`);
  const clients = useApi(() => client.GET('/api/clients'), 'clients');

  function apply(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const f of FIELDS) {
      const value = form.get(f);
      if (typeof value === 'string' && value) next.set(f, value);
    }
    route(`${url.split('?')[0]}${next.size ? `?${next.toString()}` : ''}`);
  }

  return (
    <section>
      <h1>{staff ? t('finance:invoices.title') : t('finance:invoices.mine')}</h1>
      <form class="filters" onSubmit={apply} data-testid="invoice-filters">
        <fieldset>
          <legend>{t('finance:filters.legend')}</legend>
          <label>
            {t('finance:filters.from')}
            <input type="date" name="from" value={filters.from ?? ''} />
          </label>
          <label>
            {t('finance:filters.to')}
            <input type="date" name="to" value={filters.to ?? ''} />
          </label>
          {staff && (
            <label>
              {t('finance:filters.client')}
              <select name="clientId" value={filters.clientId ?? ''}>
                <option value="">{t('finance:filters.all')}</option>
                {clients.data?.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.companyName}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t('finance:filters.type')}
            <select name="type" value={filters.type ?? ''}>
              <option value="">{t('finance:filters.all')}</option>
              <option value="invoice">{t('finance:type.invoice')}</option>
              <option value="credit_note">{t('finance:type.credit_note')}</option>
            </select>
          </label>
          <label>
            {t('finance:filters.status')}
            <select name="status" value={filters.status ?? ''}>
              <option value="">{t('finance:filters.all')}</option>
              <option value="unpaid">{t('finance:status.unpaid')}</option>
              <option value="overdue">{t('finance:status.overdue')}</option>
              <option value="paid">{t('finance:status.paid')}</option>
            </select>
          </label>
          <button type="submit" class="primary">
            {t('finance:filters.apply')}
          </button>
        </fieldset>
      </form>
      {error && (
        <div class="error" role="alert">
          {error}
        </div>
      )}
      {!data && !error && <p class="muted">{t('common.loading')}</p>}
      {data && (
        <>
          <section class="panel" aria-labelledby="totals-title" data-testid="selection-totals">
            <h2 id="totals-title">{t('finance:totals.title')}</h2>
            <p class="muted">
              {t('finance:totals.count', { count: data.totals.count })} · {t('finance:totals.creditNotes')}
            </p>
            <dl class="totals">
              <dt>{t('finance:totals.exclVat')}</dt>
              <dd data-testid="total-excl">{money(lang, data.totals.totalExclVatCents)}</dd>
              {data.totals.vatByRate.map((v) => (
                <Fragment key={v.vatRateBasisPoints}>
                  <dt>{t('finance:totals.vatAt', { rate: rate(lang, v.vatRateBasisPoints), basis: money(lang, v.basisCents) })}</dt>
                  <dd>{money(lang, v.vatCents)}</dd>
                </Fragment>
              ))}
              <dt>{t('finance:totals.vat')}</dt>
              <dd>{money(lang, data.totals.totalVatCents)}</dd>
              <dt>{t('finance:totals.inclVat')}</dt>
              <dd data-testid="total-incl">{money(lang, data.totals.totalInclVatCents)}</dd>
            </dl>
            {data.truncated && <p class="muted">{t('finance:totals.truncated')}</p>}
          </section>
          {data.items.length === 0 ? (
            <p class="muted">{t('finance:invoices.empty')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0}>
              <table data-testid="invoices-table">
                <thead>
                  <tr>
                    <th scope="col">{t('finance:col.number')}</th>
                    <th scope="col">{t('finance:col.type')}</th>
                    <th scope="col">{t('finance:col.issueDate')}</th>
                    {staff && <th scope="col">{t('finance:col.client')}</th>}
                    <th scope="col" class="num">
                      {t('finance:col.exclVat')}
                    </th>
                    <th scope="col" class="num">
                      {t('finance:col.vat')}
                    </th>
                    <th scope="col" class="num">
                      {t('finance:col.inclVat')}
                    </th>
                    <th scope="col">{t('finance:col.dueDate')}</th>
                    <th scope="col">{t('finance:col.payment')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((i) => (
                    <tr key={i.id} data-number={i.number}>
                      <td>
                        <a href={`/finance/invoices/${i.id}`}>{i.number}</a>
                      </td>
                      <td>{t(`finance:type.${i.type}`)}</td>
                      <td>{day(lang, i.issueDate)}</td>
                      {staff && <td>{i.clientName}</td>}
                      <td class="num">{money(lang, (i.type === 'credit_note' ? -1 : 1) * i.totalExclVatCents)}</td>
                      <td class="num">{money(lang, (i.type === 'credit_note' ? -1 : 1) * i.totalVatCents)}</td>
                      <td class="num">{money(lang, (i.type === 'credit_note' ? -1 : 1) * i.totalInclVatCents)}</td>
                      <td>{i.type === 'invoice' ? day(lang, i.dueDate) : '—'}</td>
                      <td>
                        {i.paymentStatus ? (
                          <span class={`status payment-${i.paymentStatus}`} data-testid="payment-status">
                            {t(`finance:status.${i.paymentStatus}`)}
                            {i.paidOn && <span> · {t('finance:paidOn', { date: day(lang, i.paidOn) })}</span>}
                          </span>
                        ) : (
                          t('finance:status.none')
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
