/**
 * A company's contracts: kind, coverage calendar, SLA targets per priority, billing terms,
 * retention, dates. Amounts are typed in euros and sent in cents. A change applies from then on:
 * issued invoices keep what they were issued with.
 */
import { useState } from 'preact/hooks';
import { call, client as api } from '../../api.js';
import type { CompanyDetail, Contract, paths } from '../../api-schema.js';
import type { AdminT } from './admin-i18n.js';
import { Check, Field, FieldErrors, FormAlert, numberOf, useSubmit } from './form-kit.js';

type ContractBody = paths['/api/clients/{clientId}/contracts']['post']['requestBody']['content']['application/json'];

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const KINDS = ['standard', 'premium', 'flat_rate', 'time_and_materials'] as const;

interface Draft {
  reference: string;
  name: string;
  kind: string;
  coverage: string;
  startsOn: string;
  endsOn: string;
  dataRetentionMonths: string;
  slaPausesWhenWaiting: boolean;
  sla: Record<(typeof PRIORITIES)[number], { response: string; resolution: string; on: boolean }>;
  hourlyRate: string;
  travelFee: string;
  includedHours: string;
  rounding: string;
  minimumBilled: string;
  travelMode: string;
}

const euros = (cents: number | null | undefined) => (cents === null || cents === undefined ? '' : String(cents / 100));
/** Euros typed → cents (the API names the field when it is not a number). */
const cents = (text: string) => {
  const n = numberOf(text);
  return typeof n === 'number' ? Math.round(n * 100) : n;
};

const DEFAULT_SLA = { P1: [60, 240], P2: [120, 480], P3: [240, 1440], P4: [480, 2880] } as const;

function emptyDraft(): Draft {
  return {
    reference: '',
    name: '',
    kind: 'standard',
    coverage: 'business_hours',
    startsOn: new Date().toISOString().slice(0, 10),
    endsOn: '',
    dataRetentionMonths: '36',
    slaPausesWhenWaiting: true,
    sla: Object.fromEntries(
      PRIORITIES.map((p) => [p, { response: String(DEFAULT_SLA[p][0]), resolution: String(DEFAULT_SLA[p][1]), on: true }]),
    ) as Draft['sla'],
    hourlyRate: '90',
    travelFee: '0',
    includedHours: '0',
    rounding: '15',
    minimumBilled: '30',
    travelMode: 'flat',
  };
}

function draftOf(c: Contract): Draft {
  return {
    reference: c.reference,
    name: c.name,
    kind: c.kind,
    coverage: c.coverage,
    startsOn: c.startsOn,
    endsOn: c.endsOn ?? '',
    dataRetentionMonths: String(c.dataRetentionMonths),
    slaPausesWhenWaiting: c.slaPausesWhenWaiting,
    sla: Object.fromEntries(
      PRIORITIES.map((p) => {
        const target = c.slaTargets.find((s) => s.priority === p);
        return [p, { response: String(target?.responseMinutes ?? ''), resolution: String(target?.resolutionMinutes ?? ''), on: !!target }];
      }),
    ) as Draft['sla'],
    hourlyRate: euros(c.hourlyRateCents),
    travelFee: euros(c.travelFeeCents),
    includedHours: c.includedHoursPerMonth,
    rounding: String(c.billingTerms?.roundingIncrementMinutes ?? 15),
    minimumBilled: String(c.billingTerms?.minimumBilledMinutes ?? 30),
    travelMode: c.billingTerms?.travelMode ?? 'flat',
  };
}

/** The targets that are on, in priority order: the API's `slaTargets.N` is the N-th of this list. */
const targetsOf = (d: Draft) =>
  PRIORITIES.filter((p) => d.sla[p].on).map((p) => ({
    priority: p,
    responseMinutes: numberOf(d.sla[p].response),
    resolutionMinutes: numberOf(d.sla[p].resolution),
  }));

function bodyOf(d: Draft, change: boolean): ContractBody {
  return {
    reference: d.reference.trim(),
    name: d.name.trim(),
    kind: d.kind,
    coverage: d.coverage,
    startsOn: d.startsOn,
    endsOn: d.endsOn === '' ? (change ? null : undefined) : d.endsOn,
    dataRetentionMonths: numberOf(d.dataRetentionMonths),
    slaPausesWhenWaiting: d.slaPausesWhenWaiting,
    slaTargets: targetsOf(d),
    billing: {
      hourlyRateCents: cents(d.hourlyRate),
      travelFeeCents: cents(d.travelFee),
      includedHoursPerMonth: numberOf(d.includedHours),
      roundingIncrementMinutes: numberOf(d.rounding),
      minimumBilledMinutes: numberOf(d.minimumBilled),
      travelMode: d.travelMode,
    },
  } as unknown as ContractBody;
}

function ContractEditor({ t, clientId, contract, onDone }: { t: AdminT; clientId: string; contract: Contract | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => (contract ? draftOf(contract) : emptyDraft()));
  const submit = useSubmit();
  const on = (key: keyof Draft) => (v: string) => setDraft({ ...draft, [key]: v });
  const onTarget = (p: (typeof PRIORITIES)[number], key: 'response' | 'resolution' | 'on', v: string | boolean) =>
    setDraft({ ...draft, sla: { ...draft.sla, [p]: { ...draft.sla[p], [key]: v } } });
  const indexOf = (p: (typeof PRIORITIES)[number]) => targetsOf(draft).findIndex((x) => x.priority === p);

  async function save(e: Event) {
    e.preventDefault();
    const done = await submit.run(() =>
      contract
        ? call(api.PATCH('/api/contracts/{contractId}', { params: { path: { contractId: contract.id } }, body: bodyOf(draft, true) }))
        : call(api.POST('/api/clients/{clientId}/contracts', { params: { path: { clientId } }, body: bodyOf(draft, false) })),
    );
    if (done) onDone();
  }

  return (
    <form onSubmit={(e) => void save(e)} noValidate aria-labelledby="contract-editor" data-testid="contract-editor">
      <h3 id="contract-editor">{contract ? `${t('contract.edit')} — ${contract.reference}` : t('contract.new')}</h3>
      {contract && <p class="muted">{t('contract.invoicesKept')}</p>}
      <FormAlert error={submit.error} t={t} />
      <FieldErrors errors={submit.errors} scope="contract">
        <div class="form-grid">
          <Field name="reference" label={t('contract.reference')} value={draft.reference} onInput={on('reference')} />
          <Field name="name" label={t('contract.name')} value={draft.name} onInput={on('name')} />
          <Field
            name="kind"
            label={t('contract.kind')}
            value={draft.kind}
            onInput={on('kind')}
            options={KINDS.map((k) => [k, t(`kind.${k}`)] as const)}
          />
          <Field
            name="coverage"
            label={t('contract.coverage')}
            value={draft.coverage}
            onInput={on('coverage')}
            options={[
              ['business_hours', t('coverage.business_hours')],
              ['24_7', t('coverage.24_7')],
            ]}
          />
          <Field name="startsOn" type="date" label={t('contract.startsOn')} value={draft.startsOn} onInput={on('startsOn')} />
          <Field name="endsOn" type="date" label={t('contract.endsOn')} value={draft.endsOn} onInput={on('endsOn')} />
          <Field
            name="dataRetentionMonths"
            type="number"
            label={t('contract.retention')}
            value={draft.dataRetentionMonths}
            onInput={on('dataRetentionMonths')}
          />
          <Check
            name="slaPausesWhenWaiting"
            label={t('contract.pauses')}
            checked={draft.slaPausesWhenWaiting}
            onChange={(v) => setDraft({ ...draft, slaPausesWhenWaiting: v })}
          />
        </div>
        <fieldset data-testid="sla-targets">
          <legend>{t('contract.sla')}</legend>
          {PRIORITIES.map((p) => (
            <div class="row-edit" key={p} role="group" aria-label={p}>
              <Check name={`sla.${p}`} label={p} checked={draft.sla[p].on} onChange={(v) => onTarget(p, 'on', v)} />
              {draft.sla[p].on && (
                <FieldErrors prefix={`slaTargets.${indexOf(p)}.`}>
                  <Field
                    name="responseMinutes"
                    type="number"
                    label={`${t('contract.response')} ${p}`}
                    value={draft.sla[p].response}
                    onInput={(v) => onTarget(p, 'response', v)}
                  />
                  <Field
                    name="resolutionMinutes"
                    type="number"
                    label={`${t('contract.resolution')} ${p}`}
                    value={draft.sla[p].resolution}
                    onInput={(v) => onTarget(p, 'resolution', v)}
                  />
                </FieldErrors>
              )}
            </div>
          ))}
        </fieldset>
        <FieldErrors prefix="billing.">
          <fieldset>
            <legend>{t('contract.billing')}</legend>
            <div class="form-grid">
              <Field
                name="hourlyRateCents"
                type="number"
                step="0.01"
                label={t('contract.hourlyRate')}
                value={draft.hourlyRate}
                onInput={on('hourlyRate')}
              />
              <Field
                name="travelFeeCents"
                type="number"
                step="0.01"
                label={t('contract.travelFee')}
                value={draft.travelFee}
                onInput={on('travelFee')}
              />
              <Field
                name="travelMode"
                label={t('contract.travelMode')}
                value={draft.travelMode}
                onInput={on('travelMode')}
                options={(['flat', 'per_km', 'included'] as const).map((m) => [m, t(`travel.${m}`)] as const)}
              />
              <Field
                name="includedHoursPerMonth"
                type="number"
                step="0.25"
                label={t('contract.includedHours')}
                value={draft.includedHours}
                onInput={on('includedHours')}
              />
              <Field
                name="roundingIncrementMinutes"
                type="number"
                label={t('contract.rounding')}
                value={draft.rounding}
                onInput={on('rounding')}
              />
              <Field
                name="minimumBilledMinutes"
                type="number"
                label={t('contract.minimum')}
                value={draft.minimumBilled}
                onInput={on('minimumBilled')}
              />
            </div>
          </fieldset>
        </FieldErrors>
      </FieldErrors>
      <div class="form-actions">
        <button type="submit" disabled={submit.busy}>
          {contract ? t('save') : t('contract.create')}
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export function ContractsSection({ t, company, onChange }: { t: AdminT; company: CompanyDetail; onChange: () => void }) {
  const [editing, setEditing] = useState<Contract | 'new' | null>(null);
  return (
    <div class="panel">
      <h2>{t('contracts.title')}</h2>
      <table data-testid="contracts">
        <thead>
          <tr>
            <th>{t('contract.reference')}</th>
            <th>{t('contract.kind')}</th>
            <th>{t('contract.coverage')}</th>
            <th>{t('contract.period')}</th>
            <th>{t('contract.sla')}</th>
            <th>{t('contract.hourlyRate')}</th>
            <th>
              <span class="sr-only">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {company.contracts.map((c) => (
            <tr key={c.id}>
              <td>
                {c.reference} — {c.name}
              </td>
              <td>{t(`kind.${c.kind}`)}</td>
              <td>{t(`coverage.${c.coverage}`)}</td>
              <td>
                {c.startsOn} → {c.endsOn ?? '…'}
              </td>
              <td>{c.slaTargets.map((s) => `${s.priority} ${s.responseMinutes}/${s.resolutionMinutes} min`).join(' · ')}</td>
              <td>{euros(c.hourlyRateCents)} €</td>
              <td>
                <button type="button" class="secondary" onClick={() => setEditing(c)}>
                  {t('edit')} <span class="sr-only">{c.reference}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <ContractEditor
          key={editing === 'new' ? 'new' : editing.id}
          t={t}
          clientId={company.id}
          contract={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            onChange();
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          {t('contract.new')}
        </button>
      )}
    </div>
  );
}
