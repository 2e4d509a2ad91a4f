import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, client } from '../api.js';
import type { MovedStop, paths, Plan, PlanPublished, PlanResult, PlanRun } from '../api-schema.js';
import type { T } from '../session.js';
import { dynamicLabel, formatDateTime, type Lang } from '../i18n.js';
import type { MapLine, MapPoint } from './ile-de-france-map.js';
import { PlanFigures } from './planning-figures.js';
import { StreetMap } from './street-map.js';
import { FALLBACK_POLL_MS, useLiveEvents } from '../live.js';

type Route = PlanResult['routes'][number];
type OverrideBody =
  paths['/api/dispatch/plans/{planId}/overrides']['post']['requestBody']['content']['application/json'] | { kind: 'emergency' };

/** Technician colours: the route on the map, the row and travel bar in the day, the legend. */
// None of them is a priority colour (red, amber, blue, grey), so a route is never read as a priority.
const COLORS = [
  '#7c3aed',
  '#0d9488',
  '#db2777',
  '#65a30d',
  '#0891b2',
  '#a16207',
  '#4f46e5',
  '#059669',
  '#c026d3',
  '#854d0e',
  '#0f766e',
  '#9d174d',
  '#3f6212',
  '#6d28d9',
  '#155e75',
];
/** Priority colours (the same as the chips): the visit's box in the day, its ring on the map. */
const PRIORITY_COLORS: Record<string, string> = { P1: '#b91c1c', P2: '#d97706', P3: '#2563eb', P4: '#6b7280' };
const MOVED = '#f59e0b';

function nextBusinessDay(): string {
  const d = new Date();
  do d.setDate(d.getDate() + 1);
  while (d.getDay() === 0 || d.getDay() === 6);
  return d.toISOString().slice(0, 10);
}

function minutesOfDay(iso: string): number {
  const [, time] = iso.split('T');
  const [h, m] = (time ?? '00:00').split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * One row per technician: the row's colour swatch and travel bar in the technician's colour (as
 * their route on the map), visits coloured by priority, locked visits outlined, visits moved by
 * the last change haloed, the lunch break, from 7:00 to 20:00. A visit or a name is clickable.
 */
function Timeline({
  routes,
  absentFrom,
  colorOf,
  moved,
  selected,
  onStop,
  onTechnician,
  onDrop,
  refusal,
  t,
}: {
  routes: Route[];
  /** Technicians marked absent → from when (HH:MM), null for the whole day. */
  absentFrom: ReadonlyMap<string, string | null>;
  colorOf: (technicianId: string) => string;
  moved: ReadonlySet<string>;
  selected: string;
  onStop: (ticket: string) => void;
  onTechnician: (technicianId: string) => void;
  /** A visit dropped on a technician's row at a time (HH:MM); absent when the plan cannot change. */
  onDrop?: (ticket: string, technicianId: string, at: string) => void;
  /** The last refused drop: its reason is drawn next to the visit, which is back in its place. */
  refusal: { ticket: string; message: string } | null;
  t: T;
}) {
  const svg = useRef<SVGSVGElement>(null);
  // The visit being dragged: where it was grabbed and where the pointer is (SVG units).
  const [drag, setDrag] = useState<{ ticket: string; x0: number; y0: number; x: number; y: number; minutes: number } | null>(null);
  const from = 7 * 60;
  const to = 20 * 60;
  const width = 1000;
  const label = 180;
  const row = 28;
  const x = (m: number) => label + ((m - from) / (to - from)) * (width - label);
  const height = routes.length * row + 24;
  const toSvg = (e: PointerEvent) => {
    const m = svg.current?.getScreenCTM();
    if (!m) return { x: 0, y: 0 };
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  };
  // Where the dragged visit would land: the row under the pointer, its start snapped to 15 minutes.
  const target = (d: NonNullable<typeof drag>) => {
    const r = routes[Math.floor((d.y - 4) / row)];
    const start = d.minutes + ((d.x - d.x0) / (width - label)) * (to - from);
    const snapped = Math.min(to - 15, Math.max(from, Math.round(start / 15) * 15));
    return r ? { technicianId: r.technicianId, index: routes.indexOf(r), minutes: snapped } : null;
  };
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const landing = drag && Math.hypot(drag.x - drag.x0, drag.y - drag.y0) > 4 ? target(drag) : null;
  const dragged = drag ? routes.flatMap((r) => r.stops).find((s) => s.ticketNumber === drag.ticket) : undefined;
  function release(e: PointerEvent) {
    if (!drag) return;
    const d = { ...drag, ...toSvg(e) };
    setDrag(null);
    // A press without a real move is a click: the visit is picked for the form.
    if (Math.hypot(d.x - d.x0, d.y - d.y0) <= 4) return onStop(d.ticket);
    const dest = target(d);
    if (dest && onDrop) onDrop(d.ticket, dest.technicianId, hhmm(dest.minutes));
  }
  return (
    <svg
      ref={svg}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="group"
      aria-label={t('planning:timeline')}
      data-testid="timeline-chart"
      style="user-select:none;-webkit-user-select:none;min-width:640px"
      onPointerMove={(e) => drag && setDrag({ ...drag, ...toSvg(e) })}
      onPointerUp={release}
      onPointerCancel={() => setDrag(null)}
    >
      <defs>
        <pattern id="absent-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="8" height="8" fill="#f3f4f6" />
          <line x1="0" y1="0" x2="0" y2="8" stroke="#9ca3af" stroke-width="3" />
        </pattern>
      </defs>
      {Array.from({ length: 14 }, (_, i) => from + i * 60).map((m) => (
        <g key={m}>
          <line x1={x(m)} x2={x(m)} y1={0} y2={height - 18} stroke="#e5e7eb" />
          <text x={x(m)} y={height - 4} font-size="10" text-anchor="middle" fill="#6b7280">
            {m / 60}h
          </text>
        </g>
      ))}
      {routes.map((r, i) => {
        const y = i * row + 4;
        const color = colorOf(r.technicianId);
        const since = absentFrom.get(r.technicianId);
        // Start of the hatched absence: the time given, else the left edge (all day).
        const away = absentFrom.has(r.technicianId) ? (since ? minutesOfDay(`T${since}`) : from) : null;
        return (
          <g key={r.technicianId}>
            <g style="cursor:pointer" onClick={() => onTechnician(r.technicianId)} data-technician={r.technicianId}>
              <rect x={2} y={y + 5} width={10} height={12} rx="2" fill={color} />
              <text x={16} y={y + 15} font-size="12" fill={away !== null && since === null ? '#9ca3af' : '#1f2937'}>
                {r.technicianName.length > 24 ? `${r.technicianName.slice(0, 23)}…` : r.technicianName}
              </text>
            </g>
            {away !== null && (
              <g data-absent={r.technicianId}>
                <rect x={x(away)} y={y + 2} width={x(to) - x(away)} height={18} fill="url(#absent-hatch)" opacity="0.6" />
                <text x={x(away) + 6} y={y + 15} font-size="11" fill="#4b5563">
                  {t('planning:absent')}
                  {absentFrom.get(r.technicianId) ? ` ${t('planning:absentFrom')} ${absentFrom.get(r.technicianId)}` : ''}
                </text>
              </g>
            )}
            {r.stops.length > 0 && (
              <rect
                x={x(minutesOfDay(r.departure))}
                y={y + 9}
                width={Math.max(1, x(minutesOfDay(r.returnTime)) - x(minutesOfDay(r.departure)))}
                height={4}
                fill={color}
                opacity="0.55"
              />
            )}
            {r.breakStart && (
              <rect
                x={x(minutesOfDay(r.breakStart))}
                y={y + 4}
                width={x(minutesOfDay(r.breakStart) + 45) - x(minutesOfDay(r.breakStart))}
                height={14}
                fill="#d1d5db"
              >
                <title>{t('planning:lunch')}</title>
              </rect>
            )}
            {r.stops.map((s, n) => {
              const x0 = x(minutesOfDay(s.start));
              const w = Math.max(2, x(minutesOfDay(s.end)) - x0);
              return (
                <g
                  key={s.requestId}
                  style={onDrop && !s.started ? 'cursor:grab;touch-action:none' : 'cursor:pointer'}
                  // Lower case: on SVG, Preact sets the attribute as written (`tabIndex` would not count).
                  tabindex={0}
                  role="button"
                  aria-label={`${n + 1}. ${s.ticketNumber} ${s.priority}, ${r.technicianName} ${s.start.slice(11, 16)} — ${t('planning:drag.pick')}`}
                  onPointerDown={(e) => {
                    if (e.button !== 0) return;
                    if (!onDrop || s.started) return onStop(s.ticketNumber);
                    // No text selection or native drag while the visit follows the pointer.
                    e.preventDefault();
                    (e.currentTarget.ownerSVGElement ?? e.currentTarget).setPointerCapture?.(e.pointerId);
                    const p = toSvg(e);
                    setDrag({ ticket: s.ticketNumber, x0: p.x, y0: p.y, ...p, minutes: minutesOfDay(s.start) });
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onStop(s.ticketNumber);
                    }
                  }}
                  data-ticket={s.ticketNumber}
                  opacity={drag?.ticket === s.ticketNumber && landing ? 0.35 : 1}
                  data-moved={moved.has(s.ticketNumber) ? 'true' : undefined}
                >
                  {moved.has(s.ticketNumber) && (
                    <rect
                      x={x0 - 3}
                      y={y - 1}
                      width={w + 6}
                      height={24}
                      rx="5"
                      fill="none"
                      stroke={MOVED}
                      stroke-width="3"
                      stroke-dasharray="4 2"
                    />
                  )}
                  <rect
                    x={x0}
                    y={y + 2}
                    width={w}
                    height={18}
                    rx="3"
                    fill={PRIORITY_COLORS[s.priority] ?? '#2563eb'}
                    stroke={selected === s.ticketNumber ? '#000' : s.locked || s.pinned ? '#111827' : 'none'}
                    stroke-width={selected === s.ticketNumber ? 3 : 1.5}
                  />
                  {w > 14 && (
                    <text x={x0 + w / 2} y={y + 15} font-size="10" font-weight="700" text-anchor="middle" fill="#fff" pointer-events="none">
                      {n + 1}
                    </text>
                  )}
                  {/* A locked visit: a dark corner mark (no emoji font is needed). */}
                  {s.locked && <path d={`M ${x0 + w - 8} ${y + 2} h 8 v 8 z`} fill="#111827" pointer-events="none" />}
                  {/* Started: a dark band along the bottom (on site now), faded once done. */}
                  {s.started && (
                    <rect
                      data-started={s.started}
                      x={x0}
                      y={y + 16}
                      width={w}
                      height={4}
                      fill="#111827"
                      opacity={s.started === 'done' ? 0.35 : 0.9}
                      pointer-events="none"
                    />
                  )}
                  <title>{`${n + 1}. ${s.ticketNumber} ${s.priority} — ${s.companyName}, ${s.siteName}\n${s.start.slice(11, 16)}–${s.end.slice(11, 16)} · ${s.title}${s.locked ? ` · ${t('planning:locked')}` : ''}${s.started ? ` · ${t(`planning:started.${s.started}`)}` : ''}`}</title>
                </g>
              );
            })}
          </g>
        );
      })}
      {landing && dragged && (
        <g data-testid="drop-ghost" pointer-events="none">
          <rect
            x={x(landing.minutes)}
            y={landing.index * row + 6}
            width={Math.max(2, x(landing.minutes + minutesOfDay(dragged.end) - minutesOfDay(dragged.start)) - x(landing.minutes))}
            height={18}
            rx="3"
            fill="none"
            stroke="#111827"
            stroke-width="2"
            stroke-dasharray="4 2"
          />
          <text x={x(landing.minutes)} y={landing.index * row + 4} font-size="10" fill="#111827">
            {hhmm(landing.minutes)}
          </text>
        </g>
      )}
      {refusal &&
        routes.map((r, i) =>
          r.stops
            .filter((s) => s.ticketNumber === refusal.ticket)
            .map((s) => {
              // The reason beside the visit, on the side with room, shortened to fit (full text in the alert).
              const x0 = x(minutesOfDay(s.start));
              const x1 = x(minutesOfDay(s.end));
              const left = x0 > width / 2;
              const room = Math.floor((left ? x0 - label : width - x1) / 6);
              const text = refusal.message.length > room ? `${refusal.message.slice(0, Math.max(10, room - 1))}…` : refusal.message;
              return (
                <g key={s.requestId} data-testid="drop-refusal" pointer-events="none">
                  <text
                    x={left ? x0 - 6 : x1 + 6}
                    y={i * row + 4 + 15}
                    font-size="11"
                    font-weight="700"
                    text-anchor={left ? 'end' : 'start'}
                    fill="#b91c1c"
                    stroke="#fff"
                    stroke-width="3"
                    paint-order="stroke"
                  >
                    ✘ {text}
                  </text>
                </g>
              );
            }),
        )}
    </svg>
  );
}

/** Technician colour → name, and the priority colours: shared by the day and the map. */
function Legend({ routes, colorOf, t }: { routes: Route[]; colorOf: (technicianId: string) => string; t: T }) {
  return (
    <div class="muted" style="display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font-size:.85rem;margin-top:.5rem" data-testid="plan-legend">
      <span style="font-weight:600">{t('planning:legend.technicians')} :</span>
      {routes.map((r) => (
        <span key={r.technicianId} style="display:inline-flex;align-items:center;gap:.3rem">
          <span style={`display:inline-block;width:18px;height:4px;background:${colorOf(r.technicianId)}`} />
          <span
            style={`display:inline-block;width:9px;height:9px;background:${colorOf(r.technicianId)}`}
            title={t('planning:legend.home')}
          />
          {r.technicianName}
        </span>
      ))}
      <span style="font-weight:600">{t('planning:legend.priorities')} :</span>
      {Object.entries(PRIORITY_COLORS).map(([p, c]) => (
        <span key={p} style="display:inline-flex;align-items:center;gap:.3rem">
          <span style={`display:inline-block;width:12px;height:12px;border-radius:50%;background:${c}`} />
          {p}
        </span>
      ))}
      <span style="display:inline-flex;align-items:center;gap:.3rem">
        <span style={`display:inline-block;width:12px;height:12px;border-radius:50%;border:2px dashed ${MOVED}`} />
        {t('planning:legend.moved')}
      </span>
    </div>
  );
}

/** A labelled choice among the day's technicians (the override form needs it twice). */
function TechnicianSelect({
  id,
  label,
  choose,
  routes,
  value,
  onChange,
}: {
  id?: string;
  label: string;
  choose: string;
  routes: readonly Route[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <label>
      {label}
      <select id={id} aria-label={label} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{choose}</option>
        {routes.map((r) => (
          <option key={r.technicianId} value={r.technicianId}>
            {r.technicianName}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PlanningPage({ t, lang }: { t: T; lang: Lang }) {
  const [date, setDate] = useState(nextBusinessDay());
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<Pick<PlanRun, 'status' | 'progress'> | null>(null);
  const [seconds, setSeconds] = useState(10);
  // A new run keeps the day's overrides unless the dispatcher unticks this (see planDay).
  const [keepOverrides, setKeepOverrides] = useState(true);
  // The override form: the visit (clicked in the day or picked), the technician, the time.
  const [ticket, setTicket] = useState('');
  const [technicianId, setTechnicianId] = useState('');
  const [at, setAt] = useState('');
  const [absentId, setAbsentId] = useState('');
  const [absentFrom, setAbsentFrom] = useState('');
  const [overriding, setOverriding] = useState(false);
  // A refused move: the visit stays where it was, with the optimizer's reason beside it.
  const [refusal, setRefusal] = useState<{ ticket: string; message: string } | null>(null);
  const [lastChange, setLastChange] = useState<{ version: number; moved: MovedStop[]; kind: string; ticketNumber?: string } | null>(null);

  async function load(d: string) {
    try {
      setPlan(await call(client.GET('/api/dispatch/plans', { params: { query: { date: d } } })));
      setError(null);
    } catch (err) {
      setPlan(null);
      if (!(err instanceof ApiError && err.status === 404)) setError(err instanceof ApiError ? err.message : String(err));
    }
  }
  useEffect(() => {
    setLastChange(null);
    setRefusal(null);
    void load(date);
  }, [date]);
  // Live: an assignment, a visit or a request that changes (another dispatcher, a check-in, a
  // cancellation) reloads the day; a burst of changes makes one reload.
  const liveReload = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = () => {
    if (liveReload.current) return;
    liveReload.current = setTimeout(() => {
      liveReload.current = null;
      void load(date);
    }, 100);
  };
  const { live } = useLiveEvents((e) => {
    if ((e.kind === 'plan' && e.planDate === date) || e.kind === 'assignment' || e.kind === 'visit' || e.kind === 'request') reloadSoon();
  }, reloadSoon);
  // Only while the stream is down: a slow poll.
  useEffect(() => {
    if (live) return;
    const id = setInterval(() => void load(date), FALLBACK_POLL_MS);
    return () => clearInterval(id);
  }, [live, date]);

  async function optimize() {
    setError(null);
    setLastChange(null);
    try {
      const { workflowId } = await call(client.POST('/api/dispatch/plans', { body: { date, seconds, keepOverrides } }));
      setRun({ status: 'RUNNING', progress: null });
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const current = await call(client.GET('/api/dispatch/runs/{workflowId}', { params: { path: { workflowId } } }));
        setRun(current);
        if (current.status !== 'RUNNING') break;
      }
      await load(date);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setTimeout(() => setRun(null), 1500);
    }
  }

  const [published, setPublished] = useState<PlanPublished | null>(null);
  async function publish() {
    if (!plan) return;
    try {
      setPublished(await call(client.POST('/api/dispatch/plans/{planId}/publish', { params: { path: { planId: plan.id } } })));
      await load(date);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  async function override(body: OverrideBody) {
    if (!plan) return;
    setOverriding(true);
    setError(null);
    setRefusal(null);
    try {
      // The emergency insertion has its own route (no body: the server finds the new P1 requests).
      const outcome =
        body.kind === 'emergency'
          ? await call(client.POST('/api/dispatch/plans/{planId}/emergencies', { params: { path: { planId: plan.id } } }))
          : await call(client.POST('/api/dispatch/plans/{planId}/overrides', { params: { path: { planId: plan.id } }, body }));
      setLastChange({
        version: outcome.version,
        moved: outcome.moved,
        kind: body.kind,
        ...('ticketNumber' in body ? { ticketNumber: body.ticketNumber } : {}),
      });
      setPublished(null);
      await load(date);
    } catch (err) {
      // The optimizer's reason, in the dispatcher's language when the API gives both.
      const messages = err instanceof ApiError ? (err.details.messages as { fr: string; en: string } | undefined) : undefined;
      const message = messages ? messages[lang] : err instanceof ApiError ? err.message : String(err);
      setError(message);
      if (body.kind === 'move') {
        setRefusal({ ticket: body.ticketNumber, message });
        setLastChange(null);
      }
    } finally {
      setOverriding(false);
    }
  }

  const allRoutes = plan?.result.routes ?? [];
  // Colours follow the day's technicians in their stored order, so they stay put across versions.
  const colorIndex = new Map(allRoutes.map((r, i) => [r.technicianId, i]));
  const colorOf = (id: string) => (colorIndex.has(id) ? COLORS[colorIndex.get(id)! % COLORS.length]! : '#9ca3af');
  const routes = allRoutes.filter((r) => r.stops.length > 0);
  // Technicians marked absent stay on the day view (an empty, labelled row), so the change is visible.
  const absences = new Map(
    (plan?.result.overrides ?? []).filter((o) => o.kind === 'absent' && o.technicianId).map((o) => [o.technicianId!, o.at ?? null]),
  );
  // A technician away all day is not in the solved routes at all: an empty row stands for them.
  const awayAllDay: Route[] = (plan?.result.overrides ?? [])
    .filter((o) => o.kind === 'absent' && o.technicianId && !allRoutes.some((r) => r.technicianId === o.technicianId))
    .map((o) => ({
      technicianId: o.technicianId!,
      technicianName: o.technicianName ?? o.technicianId!,
      home: { lat: 0, lon: 0 },
      departure: '',
      returnTime: '',
      breakStart: null,
      travelMinutes: 0,
      distanceKm: 0,
      overtimeMinutes: 0,
      stops: [],
    }));
  const dayRoutes = [...allRoutes.filter((r) => r.stops.length > 0 || absences.has(r.technicianId)), ...awayAllDay];
  const moved = new Set([
    ...(lastChange?.moved.map((m) => m.ticketNumber) ?? []),
    ...(lastChange?.kind === 'move' && lastChange.ticketNumber ? [lastChange.ticketNumber] : []),
  ]);
  const points: MapPoint[] = routes.flatMap((r) => [
    {
      id: `home-${r.technicianId}`,
      lat: r.home.lat,
      lon: r.home.lon,
      label: `${r.technicianName} (${t('planning:legend.home')})`,
      color: colorOf(r.technicianId),
      shape: 'square' as const,
    },
    ...r.stops.map((s, n) => ({
      id: s.requestId,
      lat: s.lat,
      lon: s.lon,
      label: `${n + 1}. ${s.ticketNumber} ${s.priority} — ${s.companyName} (${r.technicianName}, ${s.start.slice(11, 16)})`,
      color: colorOf(r.technicianId),
      ring: PRIORITY_COLORS[s.priority] ?? '#2563eb',
      number: n + 1,
      highlight: moved.has(s.ticketNumber),
    })),
  ]);
  const lines: MapLine[] = routes.map((r) => ({
    id: r.technicianId,
    color: colorOf(r.technicianId),
    label: r.technicianName,
    points: [[r.home.lat, r.home.lon], ...r.stops.map((s) => [s.lat, s.lon] as [number, number]), [r.home.lat, r.home.lon]],
  }));
  const progress = run?.progress;
  const percent = progress ? Math.min(100, Math.round((progress.elapsedMs / progress.budgetMs) * 100)) : 0;
  const stops = routes.flatMap((r) => r.stops.map((s) => ({ ...s, technicianName: r.technicianName })));
  const editable = plan !== null && plan.status !== 'superseded' && !overriding;
  const selectedStop = stops.find((s) => s.ticketNumber === ticket);
  const movedCount = lastChange?.moved.length ?? 0;

  return (
    <section>
      <h1>{t('planning:title')}</h1>
      <div class="panel" style="display:flex;gap:1rem;align-items:flex-end;flex-wrap:wrap">
        <label>
          {t('planning:date')}
          <input type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('planning:budget')}
          <input
            type="number"
            min="1"
            max="300"
            value={seconds}
            onInput={(e) => setSeconds(Number((e.target as HTMLInputElement).value))}
            style="width:6rem"
          />
        </label>
        {(plan?.result.overrides?.length ?? 0) > 0 && (
          <label style="display:flex;gap:.4rem;align-items:center" data-testid="keep-overrides">
            <input type="checkbox" checked={keepOverrides} onChange={(e) => setKeepOverrides((e.target as HTMLInputElement).checked)} />
            {t('planning:keepOverrides', { count: plan!.result.overrides!.length })}
          </label>
        )}
        <button class="primary" onClick={() => void optimize()} disabled={run !== null}>
          {t('planning:optimize')}
        </button>
        {run && (
          <div style="flex:1;min-width:220px" data-testid="plan-progress">
            <div class="muted">
              {progress
                ? `${dynamicLabel(t, `planning:phase.${progress.phase}`, progress.phase)} — ${progress.iteration.toLocaleString(lang)} ${t('planning:iterations')}`
                : t('planning:starting')}
            </div>
            <div style="background:#e5e7eb;border-radius:4px;height:8px">
              <div style={`background:var(--brand);height:8px;border-radius:4px;width:${percent}%`} />
            </div>
          </div>
        )}
      </div>
      {error && (
        <div class="error" role="alert" data-testid="plan-error">
          {error}
        </div>
      )}
      {!plan && !error && <p class="muted">{t('planning:none')}</p>}
      {plan && (
        <>
          <div class="panel" style="display:flex;gap:1rem;align-items:center;flex-wrap:wrap">
            <span class={`status ${plan.status === 'published' ? 'resolved' : 'new'}`}>{t(`planning:status.${plan.status}`)}</span>
            <span data-testid="plan-version">
              {t('planning:version')} {plan.version ?? 1}
              {plan.override && (
                <span class="muted">
                  {' '}
                  · {t(`planning:override.kind.${plan.override.kind}`)}{' '}
                  {plan.override.ticketNumber ?? plan.override.ticketNumbers?.join(', ') ?? plan.override.technicianName ?? ''} ·{' '}
                  {t('planning:by')} {plan.override.by.name ?? plan.override.by.role ?? '?'},{' '}
                  {formatDateTime(lang, plan.override.createdAt)}
                </span>
              )}
            </span>
            {(plan.pendingEmergencies?.length ?? 0) > 0 && (
              <button
                class="primary"
                data-testid="insert-emergencies"
                disabled={overriding}
                onClick={() => void override({ kind: 'emergency' })}
                title={plan.pendingEmergencies.map((e) => `${e.ticketNumber} — ${e.title}`).join('\n')}
              >
                {t('planning:emergencies', { count: plan.pendingEmergencies.length })}
              </button>
            )}
            {plan.status === 'proposed' && (
              <button class="primary" onClick={() => void publish()}>
                {t('planning:publish')}
              </button>
            )}
            {published && (
              <span data-testid="publish-outcome">
                {t('planning:assigned', { count: published.assigned.length })}
                {published.refused.length > 0 &&
                  ` · ${published.refused.length} ${t('planning:refused')}: ${published.refused.map((r) => `${r.ticketNumber} (${r.message})`).join(', ')}`}
              </span>
            )}
          </div>
          {lastChange && (
            <div class="panel" data-testid="moved-summary" style={`border-left:4px solid ${MOVED}`}>
              {lastChange.kind === 'move' && lastChange.ticketNumber && (
                <div>
                  {lastChange.ticketNumber} →{' '}
                  {allRoutes.find((r) => r.stops.some((st) => st.ticketNumber === lastChange.ticketNumber))?.technicianName ?? '?'} (
                  {t('planning:override.kind.move').toLowerCase()})
                </div>
              )}
              <strong>{movedCount > 0 ? t('planning:moved', { count: movedCount }) : t('planning:moved.none')}</strong>
              {movedCount > 0 && (
                <ul style="margin:.3rem 0 0">
                  {lastChange.moved.map((m) => (
                    <li key={m.ticketNumber}>
                      {m.ticketNumber} : {m.from.technicianName} → {m.to ? m.to.technicianName : t('planning:moved.dropped')}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div class="grid" data-testid="plan-summary">
            <div class="panel">
              <strong>{plan.assigned}</strong> / {plan.visits} {t('planning:visitsPlanned')}
            </div>
            <div class="panel">
              <strong>{routes.length}</strong> / {plan.technicians} {t('planning:techniciansUsed')}
            </div>
            <div class="panel">
              <strong>{Math.round(plan.travelMinutes / 6) / 10} h</strong> {t('planning:travel')}
            </div>
            <div class="panel">
              {plan.allP1Placed ? '✔' : '✘'} {t('planning:p1')} · {plan.feasible ? '✔' : '✘'} {t('planning:feasible')}
            </div>
          </div>
          <div class="panel">
            <h2>{t('planning:timeline')}</h2>
            {/* On a phone the day keeps a readable width and scrolls in its box (the visits stay focusable). */}
            <div style="overflow-x:auto">
              <Timeline
                routes={dayRoutes}
                absentFrom={absences}
                colorOf={colorOf}
                moved={moved}
                selected={ticket}
                onStop={(tk) => {
                  // Picked (click, Enter or Space): the form below moves it, without a mouse too.
                  setTicket(tk);
                  document.getElementById('override-technician')?.focus();
                }}
                onDrop={
                  editable
                    ? (tk, id, time) => {
                        setTicket(tk);
                        setTechnicianId(id);
                        setAt(time);
                        void override({ kind: 'move', ticketNumber: tk, technicianId: id, at: time });
                      }
                    : undefined
                }
                refusal={refusal}
                onTechnician={(id) => {
                  setAbsentId(id);
                  setTechnicianId(id);
                }}
                t={t}
              />
            </div>
            <Legend routes={routes} colorOf={colorOf} t={t} />
          </div>
          <PlanFigures plan={plan} colorOf={colorOf} t={t} />
          <div class="panel" data-testid="override-panel">
            <h2>{t('planning:override.title')}</h2>
            <p class="muted">{t('planning:override.help')}</p>
            <div style="display:flex;gap:1rem;align-items:flex-end;flex-wrap:wrap">
              <label style="min-width:0;max-width:100%">
                {t('planning:override.visit')}
                <select
                  style="max-width:100%"
                  aria-label={t('planning:override.visit')}
                  value={ticket}
                  onChange={(e) => setTicket((e.target as HTMLSelectElement).value)}
                >
                  <option value="">{t('planning:override.choose')}</option>
                  {stops.map((s) => (
                    <option key={s.ticketNumber} value={s.ticketNumber} disabled={s.started !== undefined}>
                      {`${s.ticketNumber} ${s.priority} — ${s.technicianName} ${s.start.slice(11, 16)}${s.started ? ` (${t(`planning:started.${s.started}`)})` : ''}`}
                    </option>
                  ))}
                  {plan.result.unassigned.map((u) => (
                    <option key={u.ticketNumber} value={u.ticketNumber}>
                      {`${u.ticketNumber} ${u.priority} — ${t('planning:override.unassigned')}`}
                    </option>
                  ))}
                </select>
              </label>
              <TechnicianSelect
                id="override-technician"
                label={t('planning:override.technician')}
                choose={t('planning:override.choose')}
                routes={allRoutes}
                value={technicianId}
                onChange={setTechnicianId}
              />
              <label>
                {t('planning:override.at')}
                <input type="time" value={at} onInput={(e) => setAt((e.target as HTMLInputElement).value)} />
              </label>
              <button
                class="primary"
                disabled={!editable || !ticket || !technicianId}
                onClick={() => void override({ kind: 'move', ticketNumber: ticket, technicianId, ...(at ? { at } : {}) })}
              >
                {t('planning:override.move')}
              </button>
              <button
                class="secondary"
                disabled={!editable || !selectedStop}
                onClick={() => void override({ kind: 'lock', ticketNumber: ticket })}
              >
                {t('planning:override.lock')}
              </button>
              <button
                class="secondary"
                disabled={!editable || !ticket}
                onClick={() => void override({ kind: 'remove', ticketNumber: ticket })}
              >
                {t('planning:override.remove')}
              </button>
            </div>
            <div style="display:flex;gap:1rem;align-items:flex-end;flex-wrap:wrap;margin-top:.8rem">
              <TechnicianSelect
                label={t('planning:override.absentTech')}
                choose={t('planning:override.choose')}
                routes={allRoutes}
                value={absentId}
                onChange={setAbsentId}
              />
              <label>
                {t('planning:override.from')}
                <input type="time" value={absentFrom} onInput={(e) => setAbsentFrom((e.target as HTMLInputElement).value)} />
              </label>
              <button
                class="secondary"
                disabled={!editable || !absentId}
                onClick={() => void override({ kind: 'absent', technicianId: absentId, ...(absentFrom ? { from: absentFrom } : {}) })}
              >
                {t('planning:override.absent')}
              </button>
              {overriding && (
                <span class="muted" data-testid="override-running">
                  {t('planning:override.running')}
                </span>
              )}
            </div>
          </div>
          <div class="panel">
            <h2>{t('planning:map')}</h2>
            <div style="display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start">
              <div style="flex:2 1 420px;min-width:0">
                <StreetMap
                  points={points}
                  lines={lines}
                  tileUrl={plan.map.tileUrl}
                  attribution={plan.map.attribution}
                  title={t('planning:map')}
                  offlineNote={t('planning:map.offline')}
                />
              </div>
              <div class="table-scroll" tabIndex={0} style="flex:1 1 260px;min-width:0" data-testid="map-routes">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('planning:figures.technician')}</th>
                      <th scope="col">{t('planning:map.stops')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {routes.map((r) => (
                      <tr key={r.technicianId}>
                        <th scope="row" style="text-align:left;text-transform:none;white-space:nowrap">
                          <span
                            style={`display:inline-block;width:18px;height:4px;margin-right:.3rem;vertical-align:middle;background:${colorOf(r.technicianId)}`}
                          />
                          {r.technicianName}
                        </th>
                        <td>{r.stops.map((s, n) => `${n + 1}. ${s.ticketNumber} ${s.start.slice(11, 16)} (${s.siteName})`).join(' · ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
            <Legend routes={routes} colorOf={colorOf} t={t} />
          </div>
          {plan.result.unassigned.length > 0 && (
            <div class="panel">
              <h2>{t('planning:unassigned')}</h2>
              <div class="table-scroll" tabIndex={0}>
                <table>
                  <tbody>
                    {plan.result.unassigned.map((u) => (
                      <tr key={u.ticketNumber}>
                        <td>{u.ticketNumber}</td>
                        <td>
                          <span class={`chip ${u.priority}`}>{u.priority}</span>
                        </td>
                        <td>{u.title}</td>
                        <td>{u.message[lang]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
          {(plan.result.removed?.length ?? 0) > 0 && (
            <div class="panel" data-testid="removed-visits">
              <h2>{t('planning:removed')}</h2>
              <div class="table-scroll" tabIndex={0}>
                <table>
                  <tbody>
                    {plan.result.removed!.map((u) => (
                      <tr key={u.ticketNumber}>
                        <td>{u.ticketNumber}</td>
                        <td>
                          <span class={`chip ${u.priority}`}>{u.priority}</span>
                        </td>
                        <td>{u.title}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
