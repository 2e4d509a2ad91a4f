import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import type { T } from '../main.js';
import type { Lang } from '../i18n.js';
import { IleDeFranceMap, type MapLine, type MapPoint } from './ile-de-france-map.js';

interface Stop {
  requestId: string;
  ticketNumber: string;
  title: string;
  priority: string;
  companyName: string;
  siteName: string;
  lat: number;
  lon: number;
  arrival: string;
  start: string;
  end: string;
  pinned: boolean;
}
interface Route {
  technicianId: string;
  technicianName: string;
  home: { lat: number; lon: number };
  departure: string;
  returnTime: string;
  breakStart: string | null;
  travelMinutes: number;
  distanceKm: number;
  overtimeMinutes: number;
  stops: Stop[];
}
interface Plan {
  id: string;
  status: 'proposed' | 'published' | 'superseded';
  planDate: string;
  visits: number;
  technicians: number;
  assigned: number;
  feasible: boolean;
  allP1Placed: boolean;
  travelMinutes: number;
  solveMs: number;
  createdAt: string;
  result: {
    routes: Route[];
    unassigned: Array<{ ticketNumber: string; title: string; priority: string; reason: string; message: { fr: string; en: string } }>;
  };
}
interface Run {
  status: string;
  progress: { phase: string; elapsedMs: number; budgetMs: number; iteration: number; unassigned: number | null } | null;
}

const COLORS = ['#1d4ed8', '#b91c1c', '#15803d', '#7c3aed', '#c2410c', '#0e7490', '#be185d', '#4d7c0f', '#1e3a8a', '#92400e', '#0f766e', '#6d28d9', '#9f1239', '#365314', '#075985'];
const PRIORITY_COLORS: Record<string, string> = { P1: '#b91c1c', P2: '#d97706', P3: '#2563eb', P4: '#6b7280' };

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

/** One row per technician: travel, visits coloured by priority, the lunch break, from 7:00 to 20:00. */
function Timeline({ routes, t }: { routes: Route[]; t: T }) {
  const from = 7 * 60;
  const to = 20 * 60;
  const width = 1000;
  const label = 170;
  const row = 26;
  const x = (m: number) => label + ((m - from) / (to - from)) * (width - label);
  const height = routes.length * row + 24;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t('planning.timeline')} data-testid="timeline-chart">
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
        return (
          <g key={r.technicianId}>
            <text x={4} y={y + 15} font-size="12" fill="#1f2937">
              {r.technicianName}
            </text>
            <rect x={x(minutesOfDay(r.departure))} y={y + 9} width={Math.max(1, x(minutesOfDay(r.returnTime)) - x(minutesOfDay(r.departure)))} height={4} fill={COLORS[i % COLORS.length]} opacity="0.35" />
            {r.breakStart && <rect x={x(minutesOfDay(r.breakStart))} y={y + 4} width={x(minutesOfDay(r.breakStart) + 45) - x(minutesOfDay(r.breakStart))} height={14} fill="#d1d5db"><title>{t('planning.lunch')}</title></rect>}
            {r.stops.map((s) => (
              <rect key={s.requestId} x={x(minutesOfDay(s.start))} y={y + 2} width={Math.max(2, x(minutesOfDay(s.end)) - x(minutesOfDay(s.start)))} height={18} rx="3" fill={PRIORITY_COLORS[s.priority] ?? '#2563eb'} stroke={s.pinned ? '#111827' : 'none'} stroke-width="1.5">
                <title>{`${s.ticketNumber} ${s.priority} — ${s.companyName}, ${s.siteName}\n${s.start.slice(11, 16)}–${s.end.slice(11, 16)} · ${s.title}`}</title>
              </rect>
            ))}
          </g>
        );
      })}
    </svg>
  );
}

export function PlanningPage({ t, lang }: { t: T; lang: Lang }) {
  const [date, setDate] = useState(nextBusinessDay());
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [seconds, setSeconds] = useState(10);

  async function load(d: string) {
    try {
      setPlan(await api<Plan>(`/dispatch/plans?date=${d}`));
      setError(null);
    } catch (err) {
      setPlan(null);
      if (!(err instanceof ApiError && err.status === 404)) setError(err instanceof ApiError ? err.message : String(err));
    }
  }
  useEffect(() => void load(date), [date]);

  async function optimize() {
    setError(null);
    try {
      const { workflowId } = await api<{ workflowId: string }>('/dispatch/plans', { method: 'POST', body: { date, seconds } });
      setRun({ status: 'RUNNING', progress: null });
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const current = await api<Run>(`/dispatch/runs/${workflowId}`);
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

  const [published, setPublished] = useState<{ assigned: string[]; refused: Array<{ ticketNumber: string; message: string }> } | null>(null);
  async function publish() {
    if (!plan) return;
    try {
      setPublished(await api(`/dispatch/plans/${plan.id}/publish`, { method: 'POST' }));
      await load(date);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  const routes = plan?.result.routes.filter((r) => r.stops.length > 0) ?? [];
  const points: MapPoint[] = routes.flatMap((r, i) => [
    { id: `home-${r.technicianId}`, lat: r.home.lat, lon: r.home.lon, label: r.technicianName, color: COLORS[i % COLORS.length]!, shape: 'square' as const },
    ...r.stops.map((s) => ({ id: s.requestId, lat: s.lat, lon: s.lon, label: `${s.ticketNumber} ${s.priority} — ${s.companyName} (${r.technicianName}, ${s.start.slice(11, 16)})`, color: PRIORITY_COLORS[s.priority] ?? '#2563eb' })),
  ]);
  const lines: MapLine[] = routes.map((r, i) => ({
    id: r.technicianId,
    color: COLORS[i % COLORS.length]!,
    points: [[r.home.lat, r.home.lon], ...r.stops.map((s) => [s.lat, s.lon] as [number, number]), [r.home.lat, r.home.lon]],
  }));
  const progress = run?.progress;
  const percent = progress ? Math.min(100, Math.round((progress.elapsedMs / progress.budgetMs) * 100)) : 0;

  return (
    <section>
      <h1>{t('planning.title')}</h1>
      <div class="panel" style="display:flex;gap:1rem;align-items:flex-end;flex-wrap:wrap">
        <label>
          {t('planning.date')}
          <input type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('planning.budget')}
          <input type="number" min="1" max="300" value={seconds} onInput={(e) => setSeconds(Number((e.target as HTMLInputElement).value))} style="width:6rem" />
        </label>
        <button class="primary" onClick={optimize} disabled={run !== null}>
          {t('planning.optimize')}
        </button>
        {run && (
          <div style="flex:1;min-width:220px" data-testid="plan-progress">
            <div class="muted">
              {progress ? `${t(`planning.phase.${progress.phase}`)} — ${progress.iteration.toLocaleString(lang)} ${t('planning.iterations')}` : t('planning.starting')}
            </div>
            <div style="background:#e5e7eb;border-radius:4px;height:8px">
              <div style={`background:var(--brand);height:8px;border-radius:4px;width:${percent}%`} />
            </div>
          </div>
        )}
      </div>
      {error && <div class="error">{error}</div>}
      {!plan && !error && <p class="muted">{t('planning.none')}</p>}
      {plan && (
        <>
          <div class="panel" style="display:flex;gap:1rem;align-items:center">
            <span class={`status ${plan.status === 'published' ? 'resolved' : 'new'}`}>{t(`planning.status.${plan.status}`)}</span>
            {plan.status === 'proposed' && (
              <button class="primary" onClick={publish}>
                {t('planning.publish')}
              </button>
            )}
            {published && (
              <span data-testid="publish-outcome">
                {published.assigned.length} {t('planning.assigned')}
                {published.refused.length > 0 && ` · ${published.refused.length} ${t('planning.refused')}: ${published.refused.map((r) => `${r.ticketNumber} (${r.message})`).join(', ')}`}
              </span>
            )}
          </div>
          <div class="grid" data-testid="plan-summary">
            <div class="panel">
              <strong>{plan.assigned}</strong> / {plan.visits} {t('planning.visitsPlanned')}
            </div>
            <div class="panel">
              <strong>{routes.length}</strong> / {plan.technicians} {t('planning.techniciansUsed')}
            </div>
            <div class="panel">
              <strong>{Math.round(plan.travelMinutes / 6) / 10} h</strong> {t('planning.travel')}
            </div>
            <div class="panel">
              {plan.allP1Placed ? '✔' : '✘'} {t('planning.p1')} · {plan.feasible ? '✔' : '✘'} {t('planning.feasible')}
            </div>
          </div>
          <div class="panel">
            <h2>{t('planning.timeline')}</h2>
            <Timeline routes={routes} t={t} />
          </div>
          <div class="panel">
            <h2>{t('planning.map')}</h2>
            <IleDeFranceMap points={points} lines={lines} title={t('planning.map')} />
          </div>
          {plan.result.unassigned.length > 0 && (
            <div class="panel">
              <h2>{t('planning.unassigned')}</h2>
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
          )}
        </>
      )}
    </section>
  );
}
