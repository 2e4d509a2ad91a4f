/**
 * One invoice or credit note: its lines and VAT, the PDF as issued (shown inline), the CII XML to
 * download, its credit notes; for finance, the payment form and the credit-note form (the whole
 * invoice or ticked lines, with a reason), which shows the new AV- number as soon as it is issued.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, call, client } from '../../api.js';
import { formText } from '../../form-text.js';
import type { PageProps } from '../../session.js';
import { useApi } from '../use-api.js';
import { day, money, rate, todayIso } from './format.js';

function FieldMessage({ error, field }: { error: ApiError | null; field: string }) {
  const message = error?.fields.find((f) => f.field === field)?.message;
  return message ? (
    <span class="field-error" id={`err-${field}`}>
      {message}
    </span>
  ) : null;
}

export function InvoiceDetailPage({ t, lang, me, params }: PageProps) {
  const id = params.id ?? '';
  const { data, error, reload } = useApi(() => client.GET('/api/invoices/{id}', { params: { path: { id } } }), `invoice:${id}`);
  const staff = me.role === 'finance' || me.role === 'admin';
  if (error) {
    return (
      <section>
        <p>
          <a href="/finance/invoices">{t('finance:detail.back')}</a>
        </p>
        <div class="error" role="alert">
          {error}
        </div>
      </section>
    );
  }
  if (!data) return <p class="muted">{t('common.loading')}</p>;
  const sign = data.type === 'credit_note' ? -1 : 1;
  return (
    <section>
      <p>
        <a href="/finance/invoices">{t('finance:detail.back')}</a>
      </p>
      <h1>
        {t(`finance:type.${data.type}`)} {data.number}
      </h1>
      <p>
        {(data.buyer as { name?: string }).name} ·{' '}
        {t('finance:detail.issued', { date: day(lang, data.issueDate), due: day(lang, data.dueDate) })}
        {data.ticketNumber && (
          <>
            {' '}
            · <a href={`/requests/${data.ticketNumber}`}>{data.ticketNumber}</a>
          </>
        )}
      </p>
      {data.reason && (
        <p>
          {t('finance:detail.reason')} : {data.reason}
        </p>
      )}
      {data.creditedInvoiceId && (
        <p>
          <a href={`/finance/invoices/${data.creditedInvoiceId}`}>{t('finance:detail.credits')}</a>
        </p>
      )}
      {data.payment && (
        <p data-testid="detail-payment">
          <span class={`status payment-${data.payment.status}`}>{t(`finance:status.${data.payment.status}`)}</span>
          {data.payment.paidOn && <> · {t('finance:paidOn', { date: day(lang, data.payment.paidOn) })}</>}
        </p>
      )}
      <h2>{t('finance:detail.lines')}</h2>
      <div class="table-scroll" tabIndex={0}>
        <table data-testid="invoice-lines">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('finance:detail.description')}</th>
              <th scope="col" class="num">
                {t('finance:detail.quantity')}
              </th>
              <th scope="col" class="num">
                {t('finance:detail.unitPrice')}
              </th>
              <th scope="col" class="num">
                {t('finance:detail.rate')}
              </th>
              <th scope="col" class="num">
                {t('finance:detail.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.lines.map((l) => (
              <tr key={l.lineId}>
                <td>{l.lineId}</td>
                <td>
                  {l.description}
                  {l.coverageNote && <div class="muted">{l.coverageNote}</div>}
                </td>
                <td class="num">{l.quantity}</td>
                <td class="num">{money(lang, l.unitPriceCents)}</td>
                <td class="num">{rate(lang, l.vatRateBasisPoints)}</td>
                <td class="num">{money(lang, sign * l.netAmountCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('finance:detail.vatBreakdown')}</h2>
      <dl class="totals">
        {data.vatBreakdown.map((v) => (
          <Fragment key={v.vatRateBasisPoints}>
            <dt>
              {rate(lang, v.vatRateBasisPoints)} · {t('finance:detail.basis')} {money(lang, sign * v.basisCents)}
            </dt>
            <dd>{money(lang, sign * v.vatCents)}</dd>
          </Fragment>
        ))}
        <dt>{t('finance:totals.exclVat')}</dt>
        <dd>{money(lang, sign * data.totalExclVatCents)}</dd>
        <dt>{t('finance:totals.vat')}</dt>
        <dd>{money(lang, sign * data.totalVatCents)}</dd>
        <dt>{t('finance:totals.inclVat')}</dt>
        <dd data-testid="detail-total">{money(lang, sign * data.totalInclVatCents)}</dd>
      </dl>
      <p class="actions">
        <a href={data.links.pdf} target="_blank" rel="noreferrer">
          {t('finance:detail.pdfOpen')}
        </a>{' '}
        ·{' '}
        <a href={data.links.xml} download data-testid="xml-download">
          {t('finance:detail.xml')}
        </a>
      </p>
      {data.creditNotes.length > 0 && (
        <>
          <h2>{t('finance:detail.creditNotes')}</h2>
          <ul data-testid="credit-notes">
            {data.creditNotes.map((c) => (
              <li key={c.id}>
                <a href={`/finance/invoices/${c.id}`}>{c.number}</a> · {day(lang, c.issueDate)} · {money(lang, -c.totalInclVatCents)}
              </li>
            ))}
          </ul>
        </>
      )}
      {staff && data.type === 'invoice' && (
        <div class="two-columns">
          <PaymentForm t={t} invoiceId={data.id} paidOn={data.payment?.paidOn ?? null} issueDate={data.issueDate} onDone={reload} />
          <CreditNoteForm t={t} lang={lang} invoiceId={data.id} lines={data.lines} onDone={reload} />
        </div>
      )}
      <h2>{t('finance:detail.pdf')}</h2>
      <iframe class="pdf" src={data.links.pdf} title={`${t('finance:detail.pdf')} ${data.number}`} data-testid="invoice-pdf" />
    </section>
  );
}

function PaymentForm(props: { t: PageProps['t']; invoiceId: string; paidOn: string | null; issueDate: string; onDone(): void }) {
  const { t } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  async function submit(event: Event) {
    event.preventDefault();
    const paidOn = formText(new FormData(event.currentTarget as HTMLFormElement), 'paidOn');
    setError(null);
    try {
      await call(client.PUT('/api/invoices/{id}/payment', { params: { path: { id: props.invoiceId } }, body: { paidOn } }));
      setDone(true);
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
    }
  }
  async function withdraw() {
    setError(null);
    try {
      await call(client.DELETE('/api/invoices/{id}/payment', { params: { path: { id: props.invoiceId } } }));
      setDone(false);
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
    }
  }
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} data-testid="payment-form" aria-labelledby="payment-title">
      <h2 id="payment-title">{t('finance:payment.title')}</h2>
      <label>
        {t('finance:payment.paidOn')}
        <input
          type="date"
          name="paidOn"
          required
          min={props.issueDate}
          max={todayIso()}
          value={props.paidOn ?? todayIso()}
          aria-invalid={error?.fields.some((f) => f.field === 'paidOn') ? true : undefined}
          aria-describedby={error?.fields.some((f) => f.field === 'paidOn') ? 'err-paidOn' : undefined}
        />
        <FieldMessage error={error} field="paidOn" />
      </label>
      <button type="submit" class="primary">
        {t('finance:payment.record')}
      </button>{' '}
      {props.paidOn && (
        <button type="button" class="secondary" onClick={() => void withdraw()}>
          {t('finance:payment.withdraw')}
        </button>
      )}
      {done && (
        <p class="success" role="status">
          {t('finance:payment.recorded')}
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

type Line = { lineId: number; description: string; netAmountCents: number };

function CreditNoteForm(props: { t: PageProps['t']; lang: PageProps['lang']; invoiceId: string; lines: Line[]; onDone(): void }) {
  const { t, lang } = props;
  const [scope, setScope] = useState<'all' | 'lines'>('all');
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const [issued, setIssued] = useState<{ number: string; totalInclVatCents: number } | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const reason = formText(form, 'reason');
    const lines = form.getAll('line').map((v) => ({ lineId: Number(v) }));
    if (scope === 'lines' && lines.length === 0) {
      setError(
        new ApiError(400, 'validation_failed', t('finance:credit.pickLines'), [{ field: 'lines', message: t('finance:credit.pickLines') }]),
      );
      return;
    }
    setError(null);
    setSending(true);
    try {
      const note = await call(
        client.POST('/api/invoices/{id}/credit-notes', {
          params: { path: { id: props.invoiceId } },
          body: { reason, ...(scope === 'lines' ? { lines } : {}) },
          // One key per submitted form: a double click or a retry issues one credit note.
          headers: { 'Idempotency-Key': `web-${props.invoiceId}-${scope}-${lines.map((l) => l.lineId).join('.')}-${reason}`.slice(0, 200) },
        }),
      );
      setIssued(note);
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
    } finally {
      setSending(false);
    }
  }
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} data-testid="credit-note-form" aria-labelledby="credit-title">
      <h2 id="credit-title">{t('finance:credit.title')}</h2>
      <fieldset>
        <legend class="sr-only">{t('finance:credit.title')}</legend>
        <label class="inline">
          <input type="radio" name="scope" value="all" checked={scope === 'all'} onChange={() => setScope('all')} />{' '}
          {t('finance:credit.whole')}
        </label>
        <label class="inline">
          <input type="radio" name="scope" value="lines" checked={scope === 'lines'} onChange={() => setScope('lines')} />{' '}
          {t('finance:credit.someLines')}
        </label>
      </fieldset>
      {scope === 'lines' && (
        <fieldset aria-describedby={error?.fields.some((f) => f.field === 'lines') ? 'err-lines' : undefined}>
          <legend class="sr-only">{t('finance:credit.someLines')}</legend>
          {props.lines.map((l) => (
            <label class="inline" key={l.lineId}>
              <input type="checkbox" name="line" value={String(l.lineId)} aria-label={t('finance:credit.line', { line: l.lineId })} />{' '}
              {l.lineId}. {l.description} ({money(lang, l.netAmountCents)})
            </label>
          ))}
          <FieldMessage error={error} field="lines" />
        </fieldset>
      )}
      <label>
        {t('finance:credit.reason')}
        <textarea
          name="reason"
          required
          minLength={3}
          maxLength={500}
          aria-invalid={error?.fields.some((f) => f.field === 'reason') ? true : undefined}
          aria-describedby={error?.fields.some((f) => f.field === 'reason') ? 'err-reason' : undefined}
        />
        <FieldMessage error={error} field="reason" />
      </label>
      <button type="submit" class="primary" disabled={sending}>
        {sending ? t('finance:credit.sending') : t('finance:credit.submit')}
      </button>
      {issued && (
        <p class="success" role="status" data-testid="credit-note-issued">
          {t('finance:credit.issued', { number: issued.number, amount: money(lang, issued.totalInclVatCents) })}
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
