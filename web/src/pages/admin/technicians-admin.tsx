/**
 * Technicians: profile, home base, hourly cost, skills with levels, certifications (an expired
 * one is marked and no longer counts), weekly shifts (one a day) and absences. Each list is sent
 * whole and replaces the stored one; the API names the item and field it refuses
 * (`shifts.1.startsAt`: overlaps another shift).
 */
import { useState } from 'preact/hooks';
import { call, client as api } from '../../api.js';
import type { paths, TechnicianDetail } from '../../api-schema.js';
import { useApi } from '../use-api.js';
import type { AdminT } from './admin-i18n.js';
import { blankless, Check, Field, FieldErrors, FormAlert, numberOf, orNull, useSubmit } from './form-kit.js';

type TechnicianBody = paths['/api/technicians']['post']['requestBody']['content']['application/json'];

interface Draft {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  level: string;
  homeAddress: string;
  homeLatitude: string;
  homeLongitude: string;
  hourlyCost: string;
  active: boolean;
  skills: { skill: string; level: string }[];
  certifications: { name: string; issuer: string; obtainedOn: string; expiresOn: string; current?: boolean }[];
  shifts: { weekday: string; startsAt: string; endsAt: string }[];
  absences: { startsAt: string; endsAt: string; reason: string }[];
}

const empty = (): Draft => ({
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  level: 'N2',
  homeAddress: '',
  homeLatitude: '',
  homeLongitude: '',
  hourlyCost: '35',
  active: true,
  skills: [{ skill: '', level: '3' }],
  certifications: [],
  shifts: [1, 2, 3, 4, 5].map((d) => ({ weekday: String(d), startsAt: '08:30', endsAt: '17:30' })),
  absences: [],
});

/** An instant → the value of a datetime-local input (local time). */
const local = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
/** A datetime-local value → an instant with offset ('' stays '' and the API names it). */
const instant = (value: string) => (value ? new Date(value).toISOString() : value);

function draftOf(d: TechnicianDetail): Draft {
  return {
    firstName: d.firstName,
    lastName: d.lastName,
    email: d.email,
    phone: d.phone ?? '',
    level: d.level,
    homeAddress: d.homeAddress,
    homeLatitude: String(d.homeLatitude),
    homeLongitude: String(d.homeLongitude),
    hourlyCost: String(d.hourlyCostCents / 100),
    active: d.active,
    skills: d.skills.map((s) => ({ skill: s.skill, level: String(s.level) })),
    certifications: d.certifications.map((c) => ({
      name: c.name,
      issuer: c.issuer,
      obtainedOn: c.obtainedOn,
      expiresOn: c.expiresOn ?? '',
      current: c.current,
    })),
    shifts: d.shifts.map((s) => ({ weekday: String(s.weekday), startsAt: s.startsAt.slice(0, 5), endsAt: s.endsAt.slice(0, 5) })),
    absences: d.absences.map((a) => ({ startsAt: local(a.startsAt), endsAt: local(a.endsAt), reason: a.reason })),
  };
}

function bodyOf(d: Draft, change: boolean): TechnicianBody {
  const cost = numberOf(d.hourlyCost);
  return {
    firstName: d.firstName.trim(),
    lastName: d.lastName.trim(),
    email: d.email.trim(),
    phone: change ? orNull(d.phone) : blankless(d.phone),
    level: d.level,
    homeAddress: d.homeAddress.trim(),
    homeLatitude: numberOf(d.homeLatitude),
    homeLongitude: numberOf(d.homeLongitude),
    hourlyCostCents: typeof cost === 'number' ? Math.round(cost * 100) : cost,
    active: d.active,
    skills: d.skills.map((s) => ({ skill: s.skill.trim(), level: numberOf(s.level) })),
    certifications: d.certifications.map((c) => ({
      name: c.name.trim(),
      issuer: c.issuer.trim(),
      obtainedOn: c.obtainedOn,
      expiresOn: c.expiresOn || null,
    })),
    shifts: d.shifts.map((s) => ({ weekday: numberOf(s.weekday), startsAt: s.startsAt, endsAt: s.endsAt })),
    absences: d.absences.map((a) => ({ startsAt: instant(a.startsAt), endsAt: instant(a.endsAt), reason: a.reason })),
  } as unknown as TechnicianBody;
}

/** A list of rows, each its own fields, with add and remove: the API's `<list>.N.<field>` errors land on row N. */
function ListEditor<R>({
  t,
  legend,
  list,
  rows,
  set,
  blank,
  render,
  testId,
}: {
  t: AdminT;
  legend: string;
  list: string;
  rows: R[];
  set: (rows: R[]) => void;
  blank: () => R;
  render: (row: R, index: number, change: (row: R) => void) => preact.ComponentChildren;
  testId: string;
}) {
  return (
    <fieldset data-testid={testId}>
      <legend>{legend}</legend>
      {rows.map((row, index) => (
        <div class="row-edit" key={index}>
          <FieldErrors prefix={`${list}.${index}.`}>
            {render(row, index, (r) => set(rows.map((x, i) => (i === index ? r : x))))}
          </FieldErrors>
          <button type="button" class="secondary" onClick={() => set(rows.filter((_, i) => i !== index))}>
            {t('remove')} <span class="sr-only">{`${legend} ${index + 1}`}</span>
          </button>
        </div>
      ))}
      <button type="button" class="secondary" onClick={() => set([...rows, blank()])}>
        {t('add')} <span class="sr-only">{legend}</span>
      </button>
    </fieldset>
  );
}

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const ABSENCES = ['sickness', 'leave', 'training', 'other'] as const;

function TechnicianEditor({ t, technician, onDone }: { t: AdminT; technician: TechnicianDetail | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => (technician ? draftOf(technician) : empty()));
  const submit = useSubmit();
  const on = (key: keyof Draft) => (v: string) => setDraft({ ...draft, [key]: v });

  async function save(e: Event) {
    e.preventDefault();
    const done = await submit.run(() =>
      technician
        ? call(
            api.PATCH('/api/technicians/{technicianId}', { params: { path: { technicianId: technician.id } }, body: bodyOf(draft, true) }),
          )
        : call(api.POST('/api/technicians', { body: bodyOf(draft, false) })),
    );
    if (done) onDone();
  }

  return (
    <form class="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="technician-editor" data-testid="technician-editor">
      <h2 id="technician-editor">
        {technician ? `${t('technician.edit')} — ${technician.firstName} ${technician.lastName}` : t('technician.new')}
      </h2>
      <FormAlert error={submit.error} t={t} />
      <FieldErrors errors={submit.errors}>
        <div class="form-grid">
          <Field name="firstName" label={t('contacts.firstName')} value={draft.firstName} onInput={on('firstName')} />
          <Field name="lastName" label={t('contacts.lastName')} value={draft.lastName} onInput={on('lastName')} />
          <Field name="email" type="email" label={t('contacts.email')} value={draft.email} onInput={on('email')} />
          <Field name="phone" type="tel" label={t('contacts.phone')} value={draft.phone} onInput={on('phone')} />
          <Field
            name="level"
            label={t('technician.level')}
            value={draft.level}
            onInput={on('level')}
            options={[
              ['N1', 'N1'],
              ['N2', 'N2'],
              ['N3', 'N3'],
            ]}
          />
          <Field
            name="hourlyCostCents"
            type="number"
            step="0.01"
            label={t('technician.hourlyCost')}
            value={draft.hourlyCost}
            onInput={on('hourlyCost')}
          />
          <Field name="homeAddress" label={t('technician.home')} value={draft.homeAddress} onInput={on('homeAddress')} />
          <Field
            name="homeLatitude"
            type="number"
            step="any"
            label={t('technician.homeLatitude')}
            value={draft.homeLatitude}
            onInput={on('homeLatitude')}
          />
          <Field
            name="homeLongitude"
            type="number"
            step="any"
            label={t('technician.homeLongitude')}
            value={draft.homeLongitude}
            onInput={on('homeLongitude')}
          />
          <Check name="active" label={t('active')} checked={draft.active} onChange={(v) => setDraft({ ...draft, active: v })} />
        </div>
        <ListEditor
          t={t}
          testId="skills"
          legend={t('technician.skills')}
          list="skills"
          rows={draft.skills}
          set={(skills) => setDraft({ ...draft, skills })}
          blank={() => ({ skill: '', level: '3' })}
          render={(row, i, change) => (
            <>
              <Field
                name="skill"
                label={`${t('technician.skill')} ${i + 1}`}
                value={row.skill}
                onInput={(v) => change({ ...row, skill: v })}
              />
              <Field
                name="level"
                label={`${t('technician.skillLevel')} ${i + 1}`}
                value={row.level}
                onInput={(v) => change({ ...row, level: v })}
                options={['1', '2', '3', '4', '5'].map((l) => [l, l] as const)}
              />
            </>
          )}
        />
        <ListEditor
          t={t}
          testId="certifications"
          legend={t('technician.certifications')}
          list="certifications"
          rows={draft.certifications}
          set={(certifications) => setDraft({ ...draft, certifications })}
          blank={(): Draft['certifications'][number] => ({ name: '', issuer: '', obtainedOn: '', expiresOn: '' })}
          render={(row, i, change) => (
            <>
              <Field
                name="name"
                label={`${t('technician.certification')} ${i + 1}`}
                value={row.name}
                onInput={(v) => change({ ...row, name: v })}
              />
              <Field
                name="issuer"
                label={`${t('technician.issuer')} ${i + 1}`}
                value={row.issuer}
                onInput={(v) => change({ ...row, issuer: v })}
              />
              <Field
                name="obtainedOn"
                type="date"
                label={`${t('technician.obtainedOn')} ${i + 1}`}
                value={row.obtainedOn}
                onInput={(v) => change({ ...row, obtainedOn: v })}
              />
              <Field
                name="expiresOn"
                type="date"
                label={`${t('technician.expiresOn')} ${i + 1}`}
                value={row.expiresOn}
                onInput={(v) => change({ ...row, expiresOn: v })}
              />
              {row.current === false && <span class="badge warn">{t('technician.expired')}</span>}
            </>
          )}
        />
        <ListEditor
          t={t}
          testId="shifts"
          legend={t('technician.shifts')}
          list="shifts"
          rows={draft.shifts}
          set={(shifts) => setDraft({ ...draft, shifts })}
          blank={() => ({ weekday: '6', startsAt: '09:00', endsAt: '13:00' })}
          render={(row, i, change) => (
            <>
              <Field
                name="weekday"
                label={`${t('technician.weekday')} ${i + 1}`}
                value={row.weekday}
                onInput={(v) => change({ ...row, weekday: v })}
                options={DAYS.map((d) => [String(d), t(`day.${d}`)] as const)}
              />
              <Field
                name="startsAt"
                type="time"
                label={`${t('technician.startsAt')} ${i + 1}`}
                value={row.startsAt}
                onInput={(v) => change({ ...row, startsAt: v })}
              />
              <Field
                name="endsAt"
                type="time"
                label={`${t('technician.endsAt')} ${i + 1}`}
                value={row.endsAt}
                onInput={(v) => change({ ...row, endsAt: v })}
              />
            </>
          )}
        />
        <ListEditor
          t={t}
          testId="absences"
          legend={t('technician.absences')}
          list="absences"
          rows={draft.absences}
          set={(absences) => setDraft({ ...draft, absences })}
          blank={() => ({ startsAt: '', endsAt: '', reason: 'leave' })}
          render={(row, i, change) => (
            <>
              <Field
                name="startsAt"
                type="datetime-local"
                label={`${t('technician.absenceFrom')} ${i + 1}`}
                value={row.startsAt}
                onInput={(v) => change({ ...row, startsAt: v })}
              />
              <Field
                name="endsAt"
                type="datetime-local"
                label={`${t('technician.absenceUntil')} ${i + 1}`}
                value={row.endsAt}
                onInput={(v) => change({ ...row, endsAt: v })}
              />
              <Field
                name="reason"
                label={`${t('technician.absenceReason')} ${i + 1}`}
                value={row.reason}
                onInput={(v) => change({ ...row, reason: v })}
                options={ABSENCES.map((r) => [r, t(`absence.${r}`)] as const)}
              />
            </>
          )}
        />
      </FieldErrors>
      <div class="form-actions">
        <button type="submit" disabled={submit.busy}>
          {technician ? t('save') : t('technician.create')}
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** The technicians, and the editor of one (new or existing). */
export function TechniciansAdminPage({ t }: { t: AdminT }) {
  const list = useApi(() => api.GET('/api/technicians'), 'technicians');
  const [editing, setEditing] = useState<TechnicianDetail | 'new' | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function open(technicianId: string) {
    try {
      setEditing(await call(api.GET('/api/technicians/{technicianId}', { params: { path: { technicianId } } })));
    } catch (err) {
      setLoadError(String(err));
    }
  }

  return (
    <section>
      <h1>{t('technicians.title')}</h1>
      {(list.error ?? loadError) && <div class="error">{list.error ?? loadError}</div>}
      <div class="admin-columns">
        <div class="panel">
          <ul data-testid="technician-list">
            {list.data?.items.map((tech) => (
              <li key={tech.id}>
                <button type="button" class="secondary" onClick={() => void open(tech.id)}>
                  {tech.firstName} {tech.lastName}
                </button>{' '}
                {tech.level} · {tech.skills.map((s) => `${s.skill} ${s.level}`).join(', ')} {tech.active ? '' : `(${t('inactive')})`}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setEditing('new')}>
            {t('technician.new')}
          </button>
        </div>
        {editing && (
          <TechnicianEditor
            key={editing === 'new' ? 'new' : editing.id}
            t={t}
            technician={editing === 'new' ? null : editing}
            onDone={() => {
              setEditing(null);
              list.reload();
            }}
          />
        )}
      </div>
    </section>
  );
}
