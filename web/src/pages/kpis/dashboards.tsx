/**
 * The three dashboards over /api/kpis/* (definitions in docs/kpis.md): management (support,
 * dispatch, admin; finance figures for admin), a client company's (its admin: the API holds it
 * to its own company) and a technician's (their own figures). One page component with the
 * sections each audience reads; the filters live in the address (`?from=…&priority=P1`), so a
 * view can be bookmarked. A figure of the summary is a button: it lists the requests behind it
 * (`/api/kpis/requests?measure=`), each linking to the request.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { client } from '../../api.js';
import type { KpiSummary, operations } from '../../api-schema.js';
import type { Lang, T } from '../../i18n.js';
import type { PageProps } from '../../session.js';
import { SERVICE_TYPES } from '../../vocabulary.js';
import { day, money, monthName } from '../finance/format.js';
import { useApi } from '../use-api.js';
import { KpiPanel, PALETTE } from './kpi-panel.js';
import { downloadCsv, formatNumber, hoursOf, percent, rounded, toCsv, type Cell, type Column } from './kpi-table.js';

type Kind = 'management' | 'company' | 'technician';
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
/** What a figure drills down to (`/api/kpis/requests?measure=`). */
type Measure = operations['getKpisRequests']['parameters']['query']['measure'];
type ServiceType = (typeof SERVICE_TYPES)[number];
type Priority = (typeof PRIORITIES)[number];

interface Filters {
  from?: string;
  to?: string;
  clientId?: string;
  locationId?: string;
  serviceType?: ServiceType;
  priority?: Priority;
}
const FIELDS = ['from', 'to', 'clientId', 'locationId', 'serviceType', 'priority', 'bucket'] as const;

/** YYYY-MM-DD of a UTC instant. */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function ManagementDashboardPage(props: PageProps) {
  return <Dashboard {...props} kind="management" />;
}
export function CompanyDashboardPage(props: PageProps) {
  return <Dashboard {...props} kind="company" />;
}
export function TechnicianDashboardPage(props: PageProps) {
  return <Dashboard {...props} kind="technician" />;
}

function Dashboard({ t, lang, me, kind }: PageProps & { kind: Kind }) {
  const { query, url, route } = useLocation();
  const filters: Filters = Object.fromEntries(FIELDS.filter((f) => f !== 'bucket' && query[f]).map((f) => [f, query[f]]));
  const bucket: 'week' | 'month' = query.bucket === 'month' ? 'month' : 'week';
  const key = new URLSearchParams(filters as Record<string, string>).toString();
  // What the API lets each role read (api/routes/kpis.routes.ts).
  const staff = me.role === 'admin' || me.role === 'support_agent' || me.role === 'dispatcher';
  const seesFinance = me.role === 'admin' || me.role === 'finance' || me.role === 'client_admin';
  const seesTechnicians = staff || me.role === 'technician';

  const summary = useApi(() => client.GET('/api/kpis/summary', { params: { query: filters } }), `summary?${key}`);
  const series = useApi(() => client.GET('/api/kpis/series', { params: { query: { ...filters, bucket } } }), `series?${key}&${bucket}`);
  const technicians = useApi(
    when(seesTechnicians, () => client.GET('/api/kpis/technicians', { params: { query: filters } })),
    `technicians?${key}`,
  );
  const finance = useApi(
    when(seesFinance && kind !== 'technician', () => client.GET('/api/kpis/finance', { params: { query: filters } })),
    `finance?${key}`,
  );
  const recurring = useApi(
    when(kind !== 'technician', () => client.GET('/api/kpis/recurring', { params: { query: filters } })),
    `recurring?${key}`,
  );
  const forecast = useApi(
    when(staff && kind === 'management', () => client.GET('/api/kpis/forecast')),
    'forecast',
  );
  const clients = useApi(
    when(kind !== 'technician', () => client.GET('/api/clients')),
    'clients',
  );
  const [drill, setDrill] = useState<Measure | null>(null);
  useEffect(() => setDrill(null), [key]);

  function apply(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const f of FIELDS) {
      const value = form.get(f);
      if (typeof value === 'string' && value && !(f === 'bucket' && value === 'week')) next.set(f, value);
    }
    route(`${url.split('?')[0]}${next.size ? `?${next.toString()}` : ''}`);
  }

  const period = summary.data ? { from: isoDay(new Date(summary.data.period.from)), to: lastDay(summary.data.period.to) } : null;
  const fileName = (id: string) => `kpis-${id}${period ? `-${period.from}-${period.to}` : ''}`;
  const sites = (clients.data?.items ?? [])
    .filter((c) => kind === 'company' || !filters.clientId || c.id === filters.clientId)
    .flatMap((c) => c.locations.map((l) => ({ id: l.id, name: kind === 'company' ? l.name : `${c.companyName} — ${l.name}` })));
  const title = t(`kpis:title.${kind}`);

  return (
    <section class="kpi-dashboard">
      <h1>{title}</h1>
      <form class="filters" onSubmit={apply} data-testid="kpi-filters">
        <fieldset>
          <legend>{t('kpis:filters.legend')}</legend>
          <label>
            {t('kpis:filters.from')}
            <input type="date" name="from" value={filters.from ?? period?.from ?? ''} />
          </label>
          <label>
            {t('kpis:filters.to')}
            <input type="date" name="to" value={filters.to ?? period?.to ?? ''} />
          </label>
          {kind === 'management' && (
            <label>
              {t('kpis:filters.client')}
              <select name="clientId" value={filters.clientId ?? ''}>
                <option value="">{t('kpis:filters.all')}</option>
                {clients.data?.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.companyName}
                  </option>
                ))}
              </select>
            </label>
          )}
          {kind !== 'technician' && (
            <label>
              {t('kpis:filters.site')}
              <select name="locationId" value={filters.locationId ?? ''}>
                <option value="">{t('kpis:filters.all')}</option>
                {sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t('kpis:filters.serviceType')}
            <select name="serviceType" value={filters.serviceType ?? ''}>
              <option value="">{t('kpis:filters.all')}</option>
              {SERVICE_TYPES.map((s) => (
                <option key={s} value={s}>
                  {t(`service.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('kpis:filters.priority')}
            <select name="priority" value={filters.priority ?? ''}>
              <option value="">{t('kpis:filters.all')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('kpis:filters.bucket')}
            <select name="bucket" value={bucket}>
              <option value="week">{t('kpis:filters.week')}</option>
              <option value="month">{t('kpis:filters.month')}</option>
            </select>
          </label>
          <button type="submit" class="primary">
            {t('kpis:filters.apply')}
          </button>
        </fieldset>
      </form>
      {summary.error && (
        <div class="error" role="alert">
          {summary.error}
        </div>
      )}
      {!summary.data && !summary.error && (
        <p class="muted" role="status" data-testid="kpi-loading">
          {t('common.loading')}
        </p>
      )}
      {summary.data && period && (
        <>
          <p class="muted" data-testid="kpi-period">
            {t('kpis:period', { from: day(lang, period.from), to: day(lang, period.to) })}
          </p>
          <Figures t={t} lang={lang} kind={kind} summary={summary.data} onDrill={setDrill} active={drill} />
          {drill && (
            <DrillDown
              t={t}
              lang={lang}
              measure={drill}
              filters={filters}
              fileName={fileName(`requests-${drill}`)}
              onClose={() => setDrill(null)}
            />
          )}
          <div class="kpi-grid">
            {kind !== 'technician' && <TimesPanel t={t} lang={lang} summary={summary.data} fileName={fileName('times')} />}
            {series.data && (
              <SeriesPanels t={t} lang={lang} kind={kind} bucket={series.data.bucket} items={series.data.items} fileName={fileName} />
            )}
            {kind === 'management' && <BacklogPanel t={t} lang={lang} summary={summary.data} fileName={fileName('backlog')} />}
            {technicians.data?.items && (
              <TechniciansPanel t={t} lang={lang} items={technicians.data.items} fileName={fileName('technicians')} kind={kind} />
            )}
            {finance.data?.items && (
              <FinancePanel
                t={t}
                lang={lang}
                items={finance.data.items}
                fileName={fileName('finance')}
                kind={kind}
                contracts={new Map(clients.data?.items.flatMap((c) => c.contracts.map((k) => [k.id, k.reference] as const)) ?? [])}
              />
            )}
            {recurring.data?.items && <RecurringPanel t={t} lang={lang} items={recurring.data.items} fileName={fileName('recurring')} />}
            {forecast.data?.weeks && (
              <ForecastPanel t={t} lang={lang} data={forecast.data} fileName={`kpis-forecast-${forecast.data.weeks[0]?.weekStart ?? ''}`} />
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** The call `load`, or none when the role may not read it (the data stays empty, nothing is shown). */
function when<R>(enabled: boolean, load: () => Promise<R>): () => Promise<R> {
  return enabled ? load : () => Promise.resolve({ response: new Response('{}', { status: 200 }) } as R);
}

/** The period's last day from its exclusive end instant. */
const lastDay = (toExclusive: string) => isoDay(new Date(new Date(toExclusive).getTime() - 86_400_000));

const pct = (lang: Lang, v: Cell) => (v === null ? '—' : `${formatNumber(lang, v, 1)} %`);
const hrs = (lang: Lang, v: Cell) => (v === null ? '—' : `${formatNumber(lang, v, 1)} h`);

interface FigureSpec {
  id: string;
  label: string;
  value: string;
  /** The API's number behind the figure (checked by the browser test against the API). */
  raw: number | null;
  detail?: string;
  measure?: Measure;
}

function Figures({
  t,
  lang,
  kind,
  summary: s,
  onDrill,
  active,
}: {
  t: T;
  lang: Lang;
  kind: Kind;
  summary: KpiSummary;
  onDrill: (m: Measure) => void;
  active: Measure | null;
}) {
  const ratio = (r: { numerator: number; denominator: number }) => t('kpis:figure.ratio', { n: r.numerator, d: r.denominator });
  const figures: FigureSpec[] = [
    { id: 'created', label: t('kpis:figure.created'), value: formatNumber(lang, s.created), raw: s.created, measure: 'created' },
    { id: 'closed', label: t('kpis:figure.closed'), value: formatNumber(lang, s.closed), raw: s.closed },
    { id: 'cancelled', label: t('kpis:figure.cancelled'), value: formatNumber(lang, s.cancelled), raw: s.cancelled },
    {
      id: 'response',
      label: t('kpis:figure.response'),
      value: hrs(lang, hoursOf(s.firstResponse.business.median)),
      raw: s.firstResponse.business.median,
      detail: t('kpis:figure.businessMedian'),
    },
    {
      id: 'resolution',
      label: t('kpis:figure.resolution'),
      value: hrs(lang, hoursOf(s.resolution.business.median)),
      raw: s.resolution.business.median,
      detail: t('kpis:figure.businessMedian'),
      measure: 'resolved',
    },
    {
      id: 'sla-response',
      label: t('kpis:figure.slaResponse'),
      value: pct(lang, percent(s.slaResponse.rate)),
      raw: s.slaResponse.rate,
      detail: ratio(s.slaResponse),
      measure: 'response_missed',
    },
    {
      id: 'sla-resolution',
      label: t('kpis:figure.slaResolution'),
      value: pct(lang, percent(s.slaResolution.rate)),
      raw: s.slaResolution.rate,
      detail: ratio(s.slaResolution),
      measure: 'resolution_missed',
    },
    {
      id: 'escalation',
      label: t('kpis:figure.escalation'),
      value: pct(lang, percent(s.escalation.rate)),
      raw: s.escalation.rate,
      detail: `${ratio(s.escalation)} · ${t('kpis:figure.delay', { value: hrs(lang, hoursOf(s.escalation.delay.median)) })}`,
      measure: 'escalated',
    },
    {
      id: 'first-time-fix',
      label: t('kpis:figure.firstTimeFix'),
      value: pct(lang, percent(s.firstTimeFix.rate)),
      raw: s.firstTimeFix.rate,
      detail: ratio(s.firstTimeFix),
      measure: 'not_first_time_fix',
    },
    {
      id: 'recurrence',
      label: t('kpis:figure.recurrence'),
      value: pct(lang, percent(s.recurrence.rate)),
      raw: s.recurrence.rate,
      detail: ratio(s.recurrence),
      measure: 'recurred',
    },
    {
      id: 'satisfaction',
      label: t('kpis:figure.satisfaction'),
      value: s.satisfaction.mean === null ? '—' : `${formatNumber(lang, rounded(s.satisfaction.mean, 2))} / 5`,
      raw: s.satisfaction.mean,
      detail: t('kpis:figure.satisfactionDetail', {
        promoters: pct(lang, percent(s.satisfaction.promoters.rate)),
        answered: pct(lang, percent(s.satisfaction.responseRate.rate)),
      }),
      measure: 'low_rating',
    },
  ];
  const shown = figures.filter(
    (f) =>
      kind === 'management' ||
      (kind === 'company' && !['escalation', 'cancelled'].includes(f.id)) ||
      (kind === 'technician' && ['created', 'closed', 'resolution', 'first-time-fix', 'recurrence', 'satisfaction'].includes(f.id)),
  );
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title">{t('kpis:figures.title')}</h2>
      <p class="muted">{t('kpis:figures.help')}</p>
      <ul class="kpi-figures" data-testid="kpi-figures">
        {shown.map((f) => {
          const body = (
            <>
              <span class="kpi-figure-label">{f.label}</span>
              <span class="kpi-figure-value" data-testid={`figure-${f.id}`} data-value={f.raw ?? ''}>
                {f.value}
              </span>
              {f.detail && <span class="kpi-figure-detail">{f.detail}</span>}
            </>
          );
          return (
            <li key={f.id}>
              {f.measure ? (
                <button
                  type="button"
                  class={`kpi-figure${active === f.measure ? ' active' : ''}`}
                  aria-pressed={active === f.measure}
                  aria-describedby="drill-help"
                  data-testid={`drill-${f.measure}`}
                  onClick={() => onDrill(f.measure!)}
                >
                  {body}
                </button>
              ) : (
                <div class="kpi-figure">{body}</div>
              )}
            </li>
          );
        })}
      </ul>
      <p id="drill-help" class="sr-only">
        {t('kpis:figures.drillHelp')}
      </p>
    </section>
  );
}

type DrillItem = {
  ticketNumber: string;
  title: string;
  companyName: string;
  serviceType: string;
  priority: string;
  status: string;
  createdAt: string;
  resolvedAt: string | null;
  resolutionBusinessMinutes: number | null;
  rating: number | null;
};

function DrillDown({
  t,
  lang,
  measure,
  filters,
  fileName,
  onClose,
}: {
  t: T;
  lang: Lang;
  measure: Measure;
  filters: Filters;
  fileName: string;
  onClose: () => void;
}) {
  const key = new URLSearchParams(filters as Record<string, string>).toString();
  const { data, error } = useApi(
    () => client.GET('/api/kpis/requests', { params: { query: { ...filters, measure } } }),
    `drill?${key}&${measure}`,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [measure]);
  const when = (iso: string | null) => (iso ? day(lang, iso.slice(0, 10)) : '—');
  const columns: Column<DrillItem>[] = [
    { header: t('kpis:drill.ticket'), value: (r) => r.ticketNumber, format: (v) => String(v) },
    { header: t('kpis:drill.subject'), value: (r) => r.title },
    { header: t('kpis:drill.client'), value: (r) => r.companyName },
    { header: t('kpis:drill.serviceType'), value: (r) => r.serviceType, format: (v) => t(`service.${v as ServiceType}`) },
    { header: t('kpis:drill.priority'), value: (r) => r.priority },
    { header: t('kpis:drill.status'), value: (r) => r.status, format: (v) => t(`status.${v as 'closed'}`) },
    { header: t('kpis:drill.created'), value: (r) => r.createdAt.slice(0, 10), format: (_v, r) => when(r.createdAt) },
    { header: t('kpis:drill.resolved'), value: (r) => r.resolvedAt?.slice(0, 10) ?? null, format: (_v, r) => when(r.resolvedAt) },
    {
      header: t('kpis:drill.resolution'),
      value: (r) => hoursOf(r.resolutionBusinessMinutes),
      numeric: true,
      format: (v) => hrs(lang, v),
    },
    { header: t('kpis:drill.rating'), value: (r) => r.rating, numeric: true },
  ];
  return (
    <section class="panel kpi-drill" aria-labelledby="drill-title" data-testid="kpi-drill">
      <div class="kpi-panel-head">
        <h2 id="drill-title" tabIndex={-1} ref={heading}>
          {t(`kpis:drill.title.${measure}`)}
        </h2>
        <div class="kpi-drill-actions">
          <CsvButton
            t={t}
            lang={lang}
            title={t(`kpis:drill.title.${measure}`)}
            fileName={fileName}
            columns={columns}
            rows={data?.items ?? []}
          />
          <button type="button" class="secondary" onClick={onClose}>
            {t('kpis:drill.close')}
          </button>
        </div>
      </div>
      {error && (
        <div class="error" role="alert">
          {error}
        </div>
      )}
      {!data && !error && (
        <p class="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {data && (
        <>
          <p class="muted">{t('kpis:drill.count', { count: data.items.length })}</p>
          {data.items.length > 0 && (
            <div class="table-scroll" tabIndex={0} role="region" aria-label={t(`kpis:drill.title.${measure}`)}>
              <table data-testid="drill-table">
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c.header} scope="col" class={c.numeric ? 'num' : undefined}>
                        {c.header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((r) => (
                    <tr key={r.ticketNumber} data-ticket={r.ticketNumber}>
                      <td>
                        <a href={`/requests/${r.ticketNumber}`}>{r.ticketNumber}</a>
                      </td>
                      {columns.slice(1).map((c) => (
                        <td key={c.header} class={c.numeric ? 'num' : undefined}>
                          {c.format ? c.format(c.value(r), r) : formatNumber(lang, c.value(r))}
                        </td>
                      ))}
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

function CsvButton<R>({
  t,
  lang,
  title,
  fileName,
  columns,
  rows,
}: {
  t: T;
  lang: Lang;
  title: string;
  fileName: string;
  columns: Column<R>[];
  rows: R[];
}) {
  return (
    <button
      type="button"
      class="secondary"
      data-testid="csv-drill"
      aria-label={t('kpis:csv.label', { title })}
      disabled={rows.length === 0}
      onClick={() => downloadCsv(`${fileName}.csv`, toCsv(lang, columns, rows))}
    >
      {t('kpis:csv.button')}
    </button>
  );
}

interface TimeRow {
  measure: string;
  clock: string;
  count: number;
  median: number | null;
  mean: number | null;
  p90: number | null;
}

function TimesPanel({ t, lang, summary: s, fileName }: { t: T; lang: Lang; summary: KpiSummary; fileName: string }) {
  const rows: TimeRow[] = (
    [
      ['response', 'wall', s.firstResponse.wall],
      ['response', 'business', s.firstResponse.business],
      ['resolution', 'wall', s.resolution.wall],
      ['resolution', 'business', s.resolution.business],
      ['escalation', 'wall', s.escalation.delay],
    ] as const
  ).map(([measure, clock, d]) => ({
    measure: t(`kpis:times.${measure}`),
    clock: t(`kpis:times.${clock}`),
    count: d.count,
    median: hoursOf(d.median),
    mean: hoursOf(d.mean),
    p90: hoursOf(d.p90),
  }));
  const columns: Column<TimeRow>[] = [
    { header: t('kpis:times.measure'), value: (r) => `${r.measure} (${r.clock})` },
    { header: t('kpis:times.count'), value: (r) => r.count, numeric: true },
    { header: t('kpis:times.median'), value: (r) => r.median, numeric: true, format: (v) => hrs(lang, v) },
    { header: t('kpis:times.mean'), value: (r) => r.mean, numeric: true, format: (v) => hrs(lang, v) },
    { header: t('kpis:times.p90'), value: (r) => r.p90, numeric: true, format: (v) => hrs(lang, v) },
  ];
  return (
    <KpiPanel
      id="times"
      title={t('kpis:times.title')}
      note={t('kpis:times.note')}
      t={t}
      lang={lang}
      columns={columns}
      rows={rows}
      fileName={fileName}
      chart={{ type: 'bar', horizontal: true, series: [{ column: 2 }, { column: 3 }, { column: 4 }], yTitle: t('kpis:unit.hours') }}
    />
  );
}

type SeriesItem = {
  period: string;
  created: number;
  resolved: number;
  slaResolutionRate: number | null;
  firstTimeFixRate: number | null;
  meanRating: number | null;
  resolutionBusinessMedian: number | null;
};

function SeriesPanels({
  t,
  lang,
  kind,
  bucket,
  items,
  fileName,
}: {
  t: T;
  lang: Lang;
  kind: Kind;
  bucket: 'week' | 'month';
  items: SeriesItem[];
  fileName: (id: string) => string;
}) {
  const periodColumn: Column<SeriesItem> = {
    header: t('kpis:series.period'),
    value: (r) => r.period,
    // The bucket's first day: a month is named, a week is dated by its Monday.
    format: (v) => (bucket === 'month' ? monthName(lang, String(v).slice(0, 7)) : day(lang, String(v))),
  };
  const volume: Column<SeriesItem>[] = [
    periodColumn,
    { header: t('kpis:series.created'), value: (r) => r.created, numeric: true },
    { header: t('kpis:series.resolved'), value: (r) => r.resolved, numeric: true },
  ];
  const quality: Column<SeriesItem>[] = [
    periodColumn,
    { header: t('kpis:series.slaResolution'), value: (r) => percent(r.slaResolutionRate), numeric: true, format: (v) => pct(lang, v) },
    { header: t('kpis:series.firstTimeFix'), value: (r) => percent(r.firstTimeFixRate), numeric: true, format: (v) => pct(lang, v) },
  ];
  const times: Column<SeriesItem>[] = [
    periodColumn,
    {
      header: t('kpis:series.resolutionMedian'),
      value: (r) => hoursOf(r.resolutionBusinessMedian),
      numeric: true,
      format: (v) => hrs(lang, v),
    },
  ];
  const satisfaction: Column<SeriesItem>[] = [
    periodColumn,
    { header: t('kpis:series.meanRating'), value: (r) => rounded(r.meanRating, 2), numeric: true },
  ];
  return (
    <>
      <KpiPanel
        id="volume"
        title={t('kpis:series.volumeTitle')}
        t={t}
        lang={lang}
        columns={volume}
        rows={items}
        fileName={fileName('volume')}
        chart={{ type: 'bar', integer: true, series: [{ column: 1 }, { column: 2 }], yTitle: t('kpis:unit.requests') }}
      />
      {kind !== 'technician' && (
        <KpiPanel
          id="quality"
          title={t('kpis:series.qualityTitle')}
          t={t}
          lang={lang}
          columns={quality}
          rows={items}
          fileName={fileName('quality')}
          chart={{ type: 'line', series: [{ column: 1 }, { column: 2, dashed: true }], yTitle: '%' }}
        />
      )}
      {kind !== 'technician' && (
        <KpiPanel
          id="resolution"
          title={t('kpis:series.resolutionTitle')}
          t={t}
          lang={lang}
          columns={times}
          rows={items}
          fileName={fileName('resolution')}
          chart={{ type: 'line', series: [{ column: 1 }], yTitle: t('kpis:unit.hours') }}
        />
      )}
      <KpiPanel
        id="satisfaction"
        title={t('kpis:series.satisfactionTitle')}
        t={t}
        lang={lang}
        columns={satisfaction}
        rows={items}
        fileName={fileName('satisfaction')}
        chart={{ type: 'line', series: [{ column: 1, color: PALETTE[2] }], yTitle: t('kpis:unit.rating') }}
      />
    </>
  );
}

const AGES = ['lt_1d', '1_3d', '3_7d', '7_30d', 'ge_30d'] as const;

function BacklogPanel({ t, lang, summary: s, fileName }: { t: T; lang: Lang; summary: KpiSummary; fileName: string }) {
  const statuses = [...new Set(s.backlog.map((b) => b.status))];
  const ages = [...new Set([...AGES, ...s.backlog.map((b) => b.age)])].filter((a) => s.backlog.some((b) => b.age === a));
  type Row = { status: string; byAge: Record<string, number>; total: number; breached: number; atRisk: number };
  const rows: Row[] = statuses.map((status) => {
    const of = s.backlog.filter((b) => b.status === status);
    return {
      status,
      byAge: Object.fromEntries(ages.map((a) => [a, of.filter((b) => b.age === a).reduce((n, b) => n + b.count, 0)])),
      total: of.reduce((n, b) => n + b.count, 0),
      breached: of.reduce((n, b) => n + b.breached, 0),
      atRisk: of.reduce((n, b) => n + b.atRisk, 0),
    };
  });
  const ageLabel = (a: string) => ((AGES as readonly string[]).includes(a) ? t(`kpis:backlog.age.${a as (typeof AGES)[number]}`) : a);
  const columns: Column<Row>[] = [
    { header: t('kpis:backlog.status'), value: (r) => r.status, format: (v) => t(`status.${v as 'closed'}`) },
    ...ages.map((a): Column<Row> => ({ header: ageLabel(a), value: (r) => r.byAge[a] ?? 0, numeric: true })),
    { header: t('kpis:backlog.total'), value: (r) => r.total, numeric: true },
    { header: t('kpis:backlog.breached'), value: (r) => r.breached, numeric: true },
    { header: t('kpis:backlog.atRisk'), value: (r) => r.atRisk, numeric: true },
  ];
  return (
    <KpiPanel
      id="backlog"
      title={t('kpis:backlog.title')}
      note={t('kpis:backlog.note')}
      t={t}
      lang={lang}
      columns={columns}
      rows={rows}
      fileName={fileName}
      chart={{
        type: 'bar',
        stacked: true,
        integer: true,
        series: ages.map((_, i) => ({ column: i + 1 })),
        yTitle: t('kpis:unit.requests'),
      }}
    />
  );
}

type TechnicianItem = {
  technicianId: string;
  name: string;
  visits: number;
  onSiteHours: number;
  travelHours: number;
  travelShare: number | null;
  utilisation: number | null;
  resolved: number;
  firstTimeFixRate: number | null;
  meanRating: number | null;
  rating: number | null;
};

function TechniciansPanel({ t, lang, items, fileName, kind }: { t: T; lang: Lang; items: TechnicianItem[]; fileName: string; kind: Kind }) {
  const columns: Column<TechnicianItem>[] = [
    { header: t('kpis:technicians.name'), value: (r) => r.name },
    { header: t('kpis:technicians.visits'), value: (r) => r.visits, numeric: true },
    { header: t('kpis:technicians.onSite'), value: (r) => rounded(r.onSiteHours), numeric: true, format: (v) => hrs(lang, v) },
    { header: t('kpis:technicians.travel'), value: (r) => rounded(r.travelHours), numeric: true, format: (v) => hrs(lang, v) },
    { header: t('kpis:technicians.travelShare'), value: (r) => percent(r.travelShare), numeric: true, format: (v) => pct(lang, v) },
    { header: t('kpis:technicians.utilisation'), value: (r) => percent(r.utilisation), numeric: true, format: (v) => pct(lang, v) },
    { header: t('kpis:technicians.resolved'), value: (r) => r.resolved, numeric: true },
    { header: t('kpis:technicians.firstTimeFix'), value: (r) => percent(r.firstTimeFixRate), numeric: true, format: (v) => pct(lang, v) },
    { header: t('kpis:technicians.meanRating'), value: (r) => rounded(r.meanRating, 2), numeric: true },
    { header: t('kpis:technicians.rating'), value: (r) => rounded(r.rating, 2), numeric: true },
  ];
  return (
    <KpiPanel
      id="technicians"
      title={kind === 'technician' ? t('kpis:technicians.mine') : t('kpis:technicians.title')}
      note={t('kpis:technicians.note')}
      t={t}
      lang={lang}
      columns={columns}
      rows={items}
      fileName={fileName}
      wide
      chart={
        kind === 'technician'
          ? { type: 'bar', horizontal: true, series: [{ column: 2 }, { column: 3 }], stacked: true, yTitle: t('kpis:unit.hours') }
          : undefined
      }
    />
  );
}

type FinanceItem = {
  month: string;
  clientId: string;
  companyName: string;
  contractId: string | null;
  invoices: number;
  totalExclVatCents: number;
  includedMinutesUsed: number;
};

function FinancePanel({
  t,
  lang,
  items,
  fileName,
  kind,
  contracts,
}: {
  t: T;
  lang: Lang;
  items: FinanceItem[];
  fileName: string;
  kind: Kind;
  /** Contract id → its reference (CT-…), from the client directory. */
  contracts: Map<string, string>;
}) {
  // Per month (the chart) from the rows per month, client and contract (the table).
  const months = [...new Set(items.map((i) => i.month))].sort();
  type Month = { month: string; invoices: number; euros: number; includedHours: number | null };
  const rows: Month[] = months.map((month) => {
    const of = items.filter((i) => i.month === month);
    return {
      month,
      invoices: of.reduce((n, i) => n + i.invoices, 0),
      euros: of.reduce((n, i) => n + i.totalExclVatCents, 0) / 100,
      includedHours: hoursOf(of.reduce((n, i) => n + i.includedMinutesUsed, 0)),
    };
  });
  const columns: Column<Month>[] = [
    { header: t('kpis:finance.month'), value: (r) => r.month, format: (v) => monthName(lang, String(v)) },
    { header: t('kpis:finance.invoices'), value: (r) => r.invoices, numeric: true },
    { header: t('kpis:finance.amount'), value: (r) => r.euros, numeric: true, format: (v) => money(lang, Math.round(Number(v) * 100)) },
    { header: t('kpis:finance.includedHours'), value: (r) => r.includedHours, numeric: true, format: (v) => hrs(lang, v) },
  ];
  const detail: Column<FinanceItem>[] = [
    { header: t('kpis:finance.month'), value: (r) => r.month, format: (v) => monthName(lang, String(v)) },
    { header: t('kpis:finance.client'), value: (r) => r.companyName },
    {
      header: t('kpis:finance.contract'),
      value: (r) => (r.contractId ? (contracts.get(r.contractId) ?? r.contractId) : t('kpis:finance.noContract')),
    },
    { header: t('kpis:finance.invoices'), value: (r) => r.invoices, numeric: true },
    {
      header: t('kpis:finance.amount'),
      value: (r) => r.totalExclVatCents / 100,
      numeric: true,
      format: (v) => money(lang, Math.round(Number(v) * 100)),
    },
    { header: t('kpis:finance.includedHours'), value: (r) => hoursOf(r.includedMinutesUsed), numeric: true, format: (v) => hrs(lang, v) },
  ];
  return (
    <>
      <KpiPanel
        id="finance"
        title={kind === 'company' ? t('kpis:finance.mine') : t('kpis:finance.title')}
        note={t('kpis:finance.note')}
        t={t}
        lang={lang}
        columns={columns}
        rows={rows}
        fileName={fileName}
        chart={{ type: 'bar', series: [{ column: 2, color: PALETTE[3] }], yTitle: t('kpis:unit.euros') }}
      />
      {kind === 'management' && (
        <KpiPanel
          id="finance-detail"
          title={t('kpis:finance.detailTitle')}
          t={t}
          lang={lang}
          columns={detail}
          rows={items}
          fileName={`${fileName}-detail`}
        />
      )}
    </>
  );
}

type RecurringItem = {
  assetId: string | null;
  assetLabel: string | null;
  locationId: string;
  locationName: string;
  serviceType: string;
  requests: number;
  recurrences: number;
};

function RecurringPanel({ t, lang, items, fileName }: { t: T; lang: Lang; items: RecurringItem[]; fileName: string }) {
  const columns: Column<RecurringItem>[] = [
    { header: t('kpis:recurring.what'), value: (r) => r.assetLabel ?? t('kpis:recurring.noAsset') },
    { header: t('kpis:recurring.site'), value: (r) => r.locationName },
    { header: t('kpis:recurring.serviceType'), value: (r) => r.serviceType, format: (v) => t(`service.${v as ServiceType}`) },
    { header: t('kpis:recurring.requests'), value: (r) => r.requests, numeric: true },
    { header: t('kpis:recurring.recurrences'), value: (r) => r.recurrences, numeric: true },
  ];
  return (
    <KpiPanel
      id="recurring"
      title={t('kpis:recurring.title')}
      note={t('kpis:recurring.note')}
      t={t}
      lang={lang}
      columns={columns}
      rows={items}
      fileName={fileName}
      empty={t('kpis:recurring.empty')}
      wide
    />
  );
}

type WeekForecast = { weekStart: string; expected: number; low: number; high: number };
type ForecastData = {
  weeks: (WeekForecast & { capacityHours: number; capacityInterventions: number | null })[];
  byServiceType: { serviceType: string; weeks: WeekForecast[] }[];
};

function ForecastPanel({ t, lang, data, fileName }: { t: T; lang: Lang; data: ForecastData; fileName: string }) {
  type Week = ForecastData['weeks'][number];
  const columns: Column<Week>[] = [
    { header: t('kpis:forecast.week'), value: (r) => r.weekStart, format: (v) => day(lang, String(v)) },
    { header: t('kpis:forecast.low'), value: (r) => rounded(r.low), numeric: true },
    { header: t('kpis:forecast.high'), value: (r) => rounded(r.high), numeric: true },
    { header: t('kpis:forecast.expected'), value: (r) => rounded(r.expected), numeric: true },
    { header: t('kpis:forecast.capacity'), value: (r) => rounded(r.capacityInterventions), numeric: true },
    { header: t('kpis:forecast.capacityHours'), value: (r) => rounded(r.capacityHours), numeric: true, format: (v) => hrs(lang, v) },
  ];
  type TypeRow = ForecastData['byServiceType'][number];
  const byType: Column<TypeRow>[] = [
    { header: t('kpis:forecast.serviceType'), value: (r) => r.serviceType, format: (v) => t(`service.${v as ServiceType}`) },
    ...data.weeks.map((w, i): Column<TypeRow> => ({
      header: t('kpis:forecast.expectedWeek', { week: day(lang, w.weekStart) }),
      value: (r) => rounded(r.weeks[i]?.expected),
      numeric: true,
      // The cell shows "expected (low–high)": the CSV gives the three figures, each in its column.
      csv: [
        { header: t('kpis:forecast.expectedWeek', { week: w.weekStart }), value: (r) => rounded(r.weeks[i]?.expected) },
        { header: t('kpis:forecast.lowWeek', { week: w.weekStart }), value: (r) => rounded(r.weeks[i]?.low) },
        { header: t('kpis:forecast.highWeek', { week: w.weekStart }), value: (r) => rounded(r.weeks[i]?.high) },
      ],
      format: (v, r) =>
        v === null
          ? '—'
          : t('kpis:forecast.range', {
              expected: formatNumber(lang, v, 1),
              low: formatNumber(lang, rounded(r.weeks[i]?.low), 1),
              high: formatNumber(lang, rounded(r.weeks[i]?.high), 1),
            }),
    })),
  ];
  return (
    <>
      <KpiPanel
        id="forecast"
        title={t('kpis:forecast.title')}
        note={t('kpis:forecast.note')}
        t={t}
        lang={lang}
        columns={columns}
        rows={data.weeks}
        fileName={fileName}
        wide
        chart={{
          type: 'line',
          yTitle: t('kpis:unit.requests'),
          y2Title: t('kpis:unit.capacityHours'),
          series: [
            { column: 1, hidden: true, color: PALETTE[0] },
            { column: 2, fillToPrevious: true, color: PALETTE[0] },
            { column: 3, color: PALETTE[0] },
            // Capacity in technician hours on its own axis: in interventions it dwarfs the expected load and flattens the interval.
            { column: 5, color: PALETTE[4], dashed: true, right: true },
          ],
        }}
      />
      <KpiPanel
        id="forecast-types"
        title={t('kpis:forecast.byTypeTitle')}
        note={t('kpis:forecast.byTypeNote')}
        t={t}
        lang={lang}
        columns={byType}
        rows={data.byServiceType}
        fileName={`${fileName}-types`}
        wide
      />
    </>
  );
}
