/** The parts catalogue: reference, label, unit price, VAT rate, active or not. */
import { useState } from 'preact/hooks';
import { call, client as api } from '../../api.js';
import type { CatalogueEntry, paths } from '../../api-schema.js';
import { useApi } from '../use-api.js';
import type { AdminT } from './admin-i18n.js';
import { Check, Field, FieldErrors, FormAlert, numberOf, useSubmit } from './form-kit.js';

type PartBody = paths['/api/parts/catalogue']['post']['requestBody']['content']['application/json'];
const VAT_RATES = [
  ['2000', '20 %'],
  ['1000', '10 %'],
  ['550', '5,5 %'],
  ['210', '2,1 %'],
  ['0', '0 %'],
] as const;

const priceOf = (text: string) => {
  const n = numberOf(text);
  return typeof n === 'number' ? Math.round(n * 100) : n;
};

export function PartsPage({ t }: { t: AdminT }) {
  const list = useApi(() => api.GET('/api/parts/catalogue'), 'catalogue');
  const empty = { sku: '', label: '', price: '', vat: '2000', active: true };
  const [draft, setDraft] = useState(empty);
  const submit = useSubmit();
  const row = useSubmit();

  async function add(e: Event) {
    e.preventDefault();
    const body = {
      sku: draft.sku.trim(),
      label: draft.label.trim(),
      unitPriceCents: priceOf(draft.price),
      vatRateBasisPoints: Number(draft.vat),
      active: draft.active,
    };
    const done = await submit.run(() => call(api.POST('/api/parts/catalogue', { body: body as unknown as PartBody })));
    if (done) {
      setDraft(empty);
      list.reload();
    }
  }
  async function toggle(part: CatalogueEntry) {
    const done = await row.run(() =>
      call(api.PATCH('/api/parts/catalogue/{sku}', { params: { path: { sku: part.sku } }, body: { active: !part.active } })),
    );
    if (done) list.reload();
  }

  return (
    <section>
      <h1>{t('parts.title')}</h1>
      {list.error && <div class="error">{list.error}</div>}
      <FormAlert error={row.error} t={t} />
      <div class="panel">
        <table data-testid="parts">
          <thead>
            <tr>
              <th>{t('parts.sku')}</th>
              <th>{t('parts.label')}</th>
              <th>{t('parts.price')}</th>
              <th>{t('parts.vat')}</th>
              <th>{t('active')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((p) => (
              <tr key={p.sku}>
                <td>{p.sku}</td>
                <td>{p.label}</td>
                <td>{(p.unitPriceCents / 100).toFixed(2)} €</td>
                <td>{(p.vatRateBasisPoints / 100).toLocaleString('fr-FR')} %</td>
                <td>
                  <button type="button" class="secondary" aria-pressed={p.active} onClick={() => void toggle(p)}>
                    {p.active ? t('parts.deactivate') : t('parts.activate')} <span class="sr-only">{p.sku}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="panel" onSubmit={(e) => void add(e)} noValidate aria-labelledby="new-part">
        <h2 id="new-part">{t('parts.new')}</h2>
        <FormAlert error={submit.error} t={t} />
        <FieldErrors errors={submit.errors}>
          <div class="form-grid">
            <Field name="sku" label={t('parts.sku')} value={draft.sku} onInput={(v) => setDraft({ ...draft, sku: v })} />
            <Field name="label" label={t('parts.label')} value={draft.label} onInput={(v) => setDraft({ ...draft, label: v })} />
            <Field
              name="unitPriceCents"
              type="number"
              step="0.01"
              label={t('parts.price')}
              value={draft.price}
              onInput={(v) => setDraft({ ...draft, price: v })}
            />
            <Field
              name="vatRateBasisPoints"
              label={t('parts.vat')}
              value={draft.vat}
              onInput={(v) => setDraft({ ...draft, vat: v })}
              options={VAT_RATES}
            />
            <Check name="active" label={t('active')} checked={draft.active} onChange={(v) => setDraft({ ...draft, active: v })} />
          </div>
        </FieldErrors>
        <div class="form-actions">
          <button type="submit" disabled={submit.busy}>
            {t('parts.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
