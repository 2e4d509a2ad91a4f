/**
 * A company's sites: address, coordinates, access instructions, opening hours per weekday
 * (several ranges a day) and closure dates. The hours and closures sent replace the stored ones.
 */
import { useState } from 'preact/hooks';
import { call, client as api } from '../../api.js';
import type { CompanyDetail, paths, Site } from '../../api-schema.js';
import type { AdminT } from './admin-i18n.js';
import { blankless, Field, FieldErrors, FormAlert, numberOf, orNull, useSubmit } from './form-kit.js';

type SiteBody = paths['/api/clients/{clientId}/sites']['post']['requestBody']['content']['application/json'];

interface Range {
  weekday: number;
  opensAt: string;
  closesAt: string;
}
interface ClosureDraft {
  startsOn: string;
  endsOn: string;
  reason: string;
}
interface SiteDraft {
  name: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  departmentCode: string;
  latitude: string;
  longitude: string;
  accessInstructions: string;
  onSiteContactName: string;
  onSiteContactPhone: string;
  hours: Range[];
  closures: ClosureDraft[];
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const hhmm = (t: string) => t.slice(0, 5);
/** Ranges in the order they are shown and sent (so the API's `openingHours.N` is the N-th shown). */
const sortRanges = (hours: Range[]) => [...hours].sort((a, b) => a.weekday - b.weekday || a.opensAt.localeCompare(b.opensAt));

const emptySite = (): SiteDraft => ({
  name: '',
  addressLine1: '',
  addressLine2: '',
  postalCode: '',
  city: '',
  departmentCode: '',
  latitude: '',
  longitude: '',
  accessInstructions: '',
  onSiteContactName: '',
  onSiteContactPhone: '',
  // Office hours by default: Monday to Friday, 9:00–18:00.
  hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensAt: '09:00', closesAt: '18:00' })),
  closures: [],
});

function draftOf(site: Site): SiteDraft {
  return {
    name: site.name,
    addressLine1: site.addressLine1,
    addressLine2: site.addressLine2 ?? '',
    postalCode: site.postalCode,
    city: site.city,
    departmentCode: site.departmentCode ?? '',
    latitude: site.latitude === null ? '' : String(site.latitude),
    longitude: site.longitude === null ? '' : String(site.longitude),
    accessInstructions: site.accessInstructions ?? '',
    onSiteContactName: site.onSiteContactName ?? '',
    onSiteContactPhone: site.onSiteContactPhone ?? '',
    hours: site.hours.map((h) => ({ weekday: h.weekday, opensAt: hhmm(h.opensAt), closesAt: hhmm(h.closesAt) })),
    closures: site.closures.map((c) => ({ startsOn: c.startsOn, endsOn: c.endsOn, reason: c.reason ?? '' })),
  };
}

function bodyOf(d: SiteDraft, clear: boolean): SiteBody {
  const text = clear ? orNull : blankless;
  return {
    name: d.name.trim(),
    addressLine1: d.addressLine1.trim(),
    addressLine2: text(d.addressLine2),
    postalCode: d.postalCode.trim(),
    city: d.city.trim(),
    departmentCode: text(d.departmentCode),
    latitude: numberOf(d.latitude) ?? (clear ? null : undefined),
    longitude: numberOf(d.longitude) ?? (clear ? null : undefined),
    accessInstructions: text(d.accessInstructions),
    onSiteContactName: text(d.onSiteContactName),
    onSiteContactPhone: text(d.onSiteContactPhone),
    // Sent in weekday order: the API's `openingHours.N` names the N-th range of this list.
    openingHours: sortRanges(d.hours),
    closures: d.closures.map((c) => ({ startsOn: c.startsOn, endsOn: c.endsOn, reason: blankless(c.reason) })),
  };
}

/** The weekly opening hours: per weekday, its ranges (add, remove); no range = closed that day. */
function OpeningHoursEditor({ t, hours, set }: { t: AdminT; hours: Range[]; set: (h: Range[]) => void }) {
  const sorted = sortRanges(hours);
  return (
    <fieldset data-testid="opening-hours">
      <legend>{t('site.hours')}</legend>
      {WEEKDAYS.map((day) => {
        const ranges = sorted.map((r, index) => ({ r, index })).filter(({ r }) => r.weekday === day);
        return (
          <div class="row-edit" key={day} role="group" aria-label={t(`day.${day}`)}>
            <strong style="min-width:6rem">{t(`day.${day}`)}</strong>
            {ranges.length === 0 && <span class="muted">{t('site.closed')}</span>}
            {ranges.map(({ r, index }) => (
              <FieldErrors prefix={`openingHours.${index}.`} key={index}>
                <Field
                  name="opensAt"
                  type="time"
                  label={`${t('site.opens')} (${t(`day.${day}`)} ${ranges.findIndex((x) => x.index === index) + 1})`}
                  value={r.opensAt}
                  onInput={(v) => set(sorted.map((x, i) => (i === index ? { ...x, opensAt: v } : x)))}
                />
                <Field
                  name="closesAt"
                  type="time"
                  label={`${t('site.closes')} (${t(`day.${day}`)} ${ranges.findIndex((x) => x.index === index) + 1})`}
                  value={r.closesAt}
                  onInput={(v) => set(sorted.map((x, i) => (i === index ? { ...x, closesAt: v } : x)))}
                />
                <button type="button" class="secondary" onClick={() => set(sorted.filter((_, i) => i !== index))}>
                  {t('remove')} <span class="sr-only">{t(`day.${day}`)}</span>
                </button>
              </FieldErrors>
            ))}
            <button
              type="button"
              class="secondary"
              onClick={() => set([...sorted, { weekday: day, opensAt: ranges.length ? '14:00' : '09:00', closesAt: '18:00' }])}
            >
              {t('site.addRange')} <span class="sr-only">{t(`day.${day}`)}</span>
            </button>
          </div>
        );
      })}
    </fieldset>
  );
}

function ClosuresEditor({ t, closures, set }: { t: AdminT; closures: ClosureDraft[]; set: (c: ClosureDraft[]) => void }) {
  return (
    <fieldset data-testid="closures">
      <legend>{t('site.closures')}</legend>
      {closures.map((c, index) => (
        <div class="row-edit" key={index}>
          <FieldErrors prefix={`closures.${index}.`}>
            <Field
              name="startsOn"
              type="date"
              label={`${t('site.closedFrom')} ${index + 1}`}
              value={c.startsOn}
              onInput={(v) => set(closures.map((x, i) => (i === index ? { ...x, startsOn: v } : x)))}
            />
            <Field
              name="endsOn"
              type="date"
              label={`${t('site.closedUntil')} ${index + 1}`}
              value={c.endsOn}
              onInput={(v) => set(closures.map((x, i) => (i === index ? { ...x, endsOn: v } : x)))}
            />
            <Field
              name="reason"
              label={`${t('site.closureReason')} ${index + 1}`}
              value={c.reason}
              onInput={(v) => set(closures.map((x, i) => (i === index ? { ...x, reason: v } : x)))}
            />
          </FieldErrors>
          <button type="button" class="secondary" onClick={() => set(closures.filter((_, i) => i !== index))}>
            {t('remove')} <span class="sr-only">{`${t('site.closures')} ${index + 1}`}</span>
          </button>
        </div>
      ))}
      <button type="button" class="secondary" onClick={() => set([...closures, { startsOn: '', endsOn: '', reason: '' }])}>
        {t('site.addClosure')}
      </button>
    </fieldset>
  );
}

/** Creates a site (no `site`) or changes one. */
function SiteEditor({ t, clientId, site, onDone }: { t: AdminT; clientId: string; site: Site | null; onDone: () => void }) {
  const [draft, setDraft] = useState<SiteDraft>(() => (site ? draftOf(site) : emptySite()));
  const submit = useSubmit();
  const on = (key: keyof SiteDraft) => (v: string) => setDraft({ ...draft, [key]: v });

  async function save(e: Event) {
    e.preventDefault();
    const done = await submit.run(() =>
      site
        ? call(api.PATCH('/api/sites/{locationId}', { params: { path: { locationId: site.id } }, body: bodyOf(draft, true) }))
        : call(api.POST('/api/clients/{clientId}/sites', { params: { path: { clientId } }, body: bodyOf(draft, false) })),
    );
    if (done) onDone();
  }

  return (
    <form onSubmit={(e) => void save(e)} noValidate aria-labelledby="site-editor" data-testid="site-editor">
      <h3 id="site-editor">{site ? `${t('site.edit')} — ${site.name}` : t('site.new')}</h3>
      <FormAlert error={submit.error} t={t} />
      <FieldErrors errors={submit.errors} scope="site">
        <div class="form-grid">
          <Field name="name" label={t('site.name')} value={draft.name} onInput={on('name')} />
          <Field name="addressLine1" label={t('site.address')} value={draft.addressLine1} onInput={on('addressLine1')} />
          <Field name="addressLine2" label={t('site.address2')} value={draft.addressLine2} onInput={on('addressLine2')} />
          <Field name="postalCode" label={t('company.postalCode')} value={draft.postalCode} onInput={on('postalCode')} />
          <Field name="city" label={t('company.city')} value={draft.city} onInput={on('city')} />
          <Field name="departmentCode" label={t('site.department')} value={draft.departmentCode} onInput={on('departmentCode')} />
          <Field name="latitude" label={t('site.latitude')} type="number" step="any" value={draft.latitude} onInput={on('latitude')} />
          <Field name="longitude" label={t('site.longitude')} type="number" step="any" value={draft.longitude} onInput={on('longitude')} />
          <Field name="onSiteContactName" label={t('site.onSiteName')} value={draft.onSiteContactName} onInput={on('onSiteContactName')} />
          <Field
            name="onSiteContactPhone"
            label={t('site.onSitePhone')}
            type="tel"
            value={draft.onSiteContactPhone}
            onInput={on('onSiteContactPhone')}
          />
        </div>
        <Field
          name="accessInstructions"
          label={t('site.access')}
          multiline
          value={draft.accessInstructions}
          onInput={on('accessInstructions')}
        />
        <OpeningHoursEditor t={t} hours={draft.hours} set={(hours) => setDraft({ ...draft, hours })} />
        <ClosuresEditor t={t} closures={draft.closures} set={(closures) => setDraft({ ...draft, closures })} />
      </FieldErrors>
      <div class="form-actions">
        <button type="submit" disabled={submit.busy}>
          {site ? t('save') : t('site.create')}
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

const summary = (t: AdminT, site: Site) =>
  WEEKDAYS.map((d) => {
    const ranges = site.hours.filter((h) => h.weekday === d);
    return `${t(`day.${d}`).slice(0, 3)} ${ranges.length ? ranges.map((r) => `${hhmm(r.opensAt)}–${hhmm(r.closesAt)}`).join(', ') : t('site.closed')}`;
  }).join(' · ');

export function SitesSection({ t, company, onChange }: { t: AdminT; company: CompanyDetail; onChange: () => void }) {
  const [editing, setEditing] = useState<Site | 'new' | null>(null);
  return (
    <div class="panel">
      <h2>{t('sites.title')}</h2>
      <ul data-testid="sites">
        {company.sites.map((s) => (
          <li key={s.id}>
            <strong>{s.name}</strong> — {s.addressLine1}, {s.postalCode} {s.city}
            {s.latitude !== null && ` (${s.latitude.toFixed(4)}, ${s.longitude?.toFixed(4)})`}
            <br />
            <small>{summary(t, s)}</small>
            {s.closures.length > 0 && (
              <>
                <br />
                <small>
                  {t('site.closures')} :{' '}
                  {s.closures.map((c) => `${c.startsOn} → ${c.endsOn}${c.reason ? ` (${c.reason})` : ''}`).join(', ')}
                </small>
              </>
            )}{' '}
            <button type="button" class="secondary" onClick={() => setEditing(s)}>
              {t('edit')} <span class="sr-only">{s.name}</span>
            </button>
          </li>
        ))}
      </ul>
      {editing ? (
        <SiteEditor
          key={editing === 'new' ? 'new' : editing.id}
          t={t}
          clientId={company.id}
          site={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            onChange();
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          {t('site.new')}
        </button>
      )}
    </div>
  );
}
