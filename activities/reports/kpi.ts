/**
 * The indicators of docs/kpis.md, pure: the facts of one request from its history, recurrence
 * over a set of requests, the summary of a cohort, a technician's figures. Business minutes come
 * from the SLA's own calendar code (sla-calendar.ts), so a "business hour" here is the SLA's.
 */
import { coveredMinutesBetween, type SlaCalendar } from '../sla/sla-calendar.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A request followed within this time by another on the same asset (or site and service) recurred. */
export const RECURRENCE_WINDOW_MS = 30 * DAY;

export interface Transition {
  at: Date;
  from: string | null;
  to: string | null;
  /** details.type of the event ('escalation' for a technician's escalation). */
  detailsType: string | null;
}

export interface Visit {
  technicianId: string;
  mode: 'on_site' | 'remote';
  checkedInAt: Date;
  checkedOutAt: Date | null;
  /** Travel minutes of the visited assignment (0 when unknown). */
  travelMinutes: number;
}

/** What the facts of one request are computed from. */
export interface RequestHistory {
  requestId: string;
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** Status changes, in any order. */
  transitions: readonly Transition[];
  visits: readonly Visit[];
  survey: { rating: number; comment: string | null } | null;
  calendar: SlaCalendar;
}

export interface RequestFacts {
  requestId: string;
  firstResponseMinutes: number | null;
  firstResponseBusinessMinutes: number | null;
  resolutionMinutes: number | null;
  resolutionBusinessMinutes: number | null;
  pausedMinutes: number;
  pausedBusinessMinutes: number;
  responseMet: boolean | null;
  resolutionMet: boolean | null;
  escalated: boolean;
  escalationMinutes: number | null;
  rejections: number;
  firstTimeFix: boolean | null;
  surveySent: boolean;
  rating: number | null;
  technicianId: string | null;
  visits: number;
  onSiteMinutes: number;
  travelMinutes: number;
}

const minutes = (from: Date, to: Date) => (to.getTime() - from.getTime()) / MINUTE;

/** The client-wait intervals [start, end) before `until`: time spent in `awaiting_client_info`. */
export function pauseIntervals(transitions: readonly Transition[], until: Date): Array<[Date, Date]> {
  const sorted = [...transitions].sort((a, b) => a.at.getTime() - b.at.getTime());
  const pauses: Array<[Date, Date]> = [];
  let pausedAt: Date | null = null;
  for (const t of sorted) {
    if (t.at > until) break;
    if (t.to === 'awaiting_client_info' && !pausedAt) pausedAt = t.at;
    else if (t.to !== 'awaiting_client_info' && pausedAt) {
      pauses.push([pausedAt, t.at]);
      pausedAt = null;
    }
  }
  if (pausedAt && pausedAt < until) pauses.push([pausedAt, until]);
  return pauses;
}

const isEscalation = (t: Transition) => t.to === 'specialist_review' || t.detailsType === 'escalation';
const isRejection = (t: Transition) => t.to === 'awaiting_planning' && (t.from === 'awaiting_validation' || t.from === 'solution_proposed');

/** The facts of one request (docs/kpis.md, "Per request"). */
export function requestFacts(h: RequestHistory): RequestFacts {
  const { calendar: cal } = h;
  const sorted = [...h.transitions].sort((a, b) => a.at.getTime() - b.at.getTime());
  const pauses = h.resolvedAt ? pauseIntervals(sorted, h.resolvedAt) : [];
  const pausedMinutes = pauses.reduce((s, [a, b]) => s + minutes(a, b), 0);
  const pausedBusinessMinutes = pauses.reduce((s, [a, b]) => s + coveredMinutesBetween(a, b, cal), 0);
  const escalation = sorted.find(isEscalation) ?? null;
  const rejections = sorted.filter(isRejection).length;
  const onSite = h.visits.filter((v) => v.mode === 'on_site');
  const lastVisit = [...h.visits].sort((a, b) => a.checkedInAt.getTime() - b.checkedInAt.getTime()).at(-1) ?? null;
  const firstVisitAt = onSite.reduce<Date | null>((m, v) => (m === null || v.checkedInAt < m ? v.checkedInAt : m), null);
  const escalatedAfterVisit = escalation !== null && firstVisitAt !== null && escalation.at >= firstVisitAt;
  return {
    requestId: h.requestId,
    firstResponseMinutes: h.firstResponseAt ? minutes(h.createdAt, h.firstResponseAt) : null,
    firstResponseBusinessMinutes: h.firstResponseAt ? coveredMinutesBetween(h.createdAt, h.firstResponseAt, cal) : null,
    resolutionMinutes: h.resolvedAt ? minutes(h.createdAt, h.resolvedAt) - pausedMinutes : null,
    resolutionBusinessMinutes: h.resolvedAt ? coveredMinutesBetween(h.createdAt, h.resolvedAt, cal) - pausedBusinessMinutes : null,
    pausedMinutes,
    pausedBusinessMinutes,
    responseMet: h.firstResponseAt && h.responseDueAt ? h.firstResponseAt <= h.responseDueAt : null,
    resolutionMet: h.resolvedAt && h.resolutionDueAt ? h.resolvedAt <= h.resolutionDueAt : null,
    escalated: escalation !== null,
    escalationMinutes: escalation ? minutes(h.createdAt, escalation.at) : null,
    rejections,
    firstTimeFix: h.resolvedAt ? onSite.length <= 1 && rejections === 0 && !escalatedAfterVisit : null,
    surveySent: sorted.some((t) => t.to === 'survey'),
    rating: h.survey?.rating ?? null,
    technicianId: lastVisit?.technicianId ?? null,
    visits: onSite.length,
    onSiteMinutes: onSite.reduce((s, v) => s + (v.checkedOutAt ? minutes(v.checkedInAt, v.checkedOutAt) : 0), 0),
    travelMinutes: onSite.reduce((s, v) => s + v.travelMinutes, 0),
  };
}

/** What recurrence looks at in each request. */
export interface RecurrenceKey {
  requestId: string;
  assetId: string | null;
  locationId: string;
  serviceType: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

/**
 * Recurrence of each resolved request: true when another request on the same asset (without an
 * asset: same site and service type) was created after its resolution and within 30 days; false
 * when none was and the 30 days are over at `now`; null when not resolved or the window is open.
 */
export function recurrence(requests: readonly RecurrenceKey[], now: Date): Map<string, boolean | null> {
  const key = (r: RecurrenceKey) => (r.assetId ? `a:${r.assetId}` : `s:${r.locationId}:${r.serviceType}`);
  const byKey = new Map<string, number[]>();
  for (const r of requests) {
    const list = byKey.get(key(r)) ?? [];
    list.push(r.createdAt.getTime());
    byKey.set(key(r), list);
  }
  for (const list of byKey.values()) list.sort((a, b) => a - b);
  const result = new Map<string, boolean | null>();
  for (const r of requests) {
    if (!r.resolvedAt) {
      result.set(r.requestId, null);
      continue;
    }
    const start = r.resolvedAt.getTime();
    const end = start + RECURRENCE_WINDOW_MS;
    const list = byKey.get(key(r))!;
    const i = firstAbove(list, start);
    const recurred = i < list.length && list[i]! <= end;
    result.set(r.requestId, recurred ? true : now.getTime() >= end ? false : null);
  }
  return result;
}

/** Index of the first value > x in an ascending list. */
function firstAbove(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Percentile with linear interpolation between closest ranks (PostgreSQL's percentile_cont). */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

export interface Distribution {
  count: number;
  median: number | null;
  mean: number | null;
  p90: number | null;
}

export function distribution(values: readonly number[]): Distribution {
  return {
    count: values.length,
    median: percentile(values, 0.5),
    mean: values.length ? values.reduce((s, x) => s + x, 0) / values.length : null,
    p90: percentile(values, 0.9),
  };
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator, null when the denominator is 0. */
  rate: number | null;
}

export const rate = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  rate: denominator ? numerator / denominator : null,
});

/** A request's facts with the dates and dimensions the cohorts are chosen by. */
export interface FactRow extends RequestFacts {
  createdAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  recurred: boolean | null;
  hasResponseDue: boolean;
  hasResolutionDue: boolean;
}

export interface Period {
  from: Date;
  to: Date;
}

export interface KpiSummary {
  created: number;
  closed: number;
  cancelled: number;
  firstResponse: { wall: Distribution; business: Distribution };
  resolution: { wall: Distribution; business: Distribution };
  slaResponse: Rate;
  slaResolution: Rate;
  escalation: Rate & { delay: Distribution };
  firstTimeFix: Rate;
  recurrence: Rate;
  satisfaction: { mean: number | null; promoters: Rate; responseRate: Rate };
}

const within = (d: Date | null, p: Period): d is Date => d !== null && d >= p.from && d < p.to;
const defined = <T>(x: T | null): x is T => x !== null;

/** The summary of a period (docs/kpis.md, "Cohorts"): the rows are already filtered by dimension. */
export function summarize(rows: readonly FactRow[], p: Period): KpiSummary {
  const created = rows.filter((r) => within(r.createdAt, p));
  const resolved = rows.filter((r) => within(r.resolvedAt, p));
  const responded = created.filter((r) => r.firstResponseMinutes !== null);
  const escalated = created.filter((r) => r.escalated);
  const surveyed = resolved.filter((r) => r.surveySent);
  const ratings = surveyed.map((r) => r.rating).filter(defined);
  const slaResp = responded.filter((r) => r.hasResponseDue);
  const slaResol = resolved.filter((r) => r.hasResolutionDue);
  const recurrenceKnown = resolved.filter((r) => r.recurred !== null);
  return {
    created: created.length,
    closed: rows.filter((r) => within(r.closedAt, p) && r.cancelledAt === null).length,
    cancelled: rows.filter((r) => within(r.cancelledAt, p)).length,
    firstResponse: {
      wall: distribution(responded.map((r) => r.firstResponseMinutes!)),
      business: distribution(responded.map((r) => r.firstResponseBusinessMinutes!)),
    },
    resolution: {
      wall: distribution(resolved.map((r) => r.resolutionMinutes!)),
      business: distribution(resolved.map((r) => r.resolutionBusinessMinutes!)),
    },
    slaResponse: rate(slaResp.filter((r) => r.responseMet === true).length, slaResp.length),
    slaResolution: rate(slaResol.filter((r) => r.resolutionMet === true).length, slaResol.length),
    escalation: { ...rate(escalated.length, created.length), delay: distribution(escalated.map((r) => r.escalationMinutes!)) },
    firstTimeFix: rate(resolved.filter((r) => r.firstTimeFix === true).length, resolved.length),
    recurrence: rate(recurrenceKnown.filter((r) => r.recurred === true).length, recurrenceKnown.length),
    satisfaction: {
      mean: ratings.length ? ratings.reduce((s, x) => s + x, 0) / ratings.length : null,
      promoters: rate(ratings.filter((x) => x >= 4).length, ratings.length),
      responseRate: rate(ratings.length, surveyed.length),
    },
  };
}

/** A weekly shift: ISO weekday, start and end (minutes after local midnight), lunch minutes. */
export interface Shift {
  weekday: number;
  startsAt: number;
  endsAt: number;
  lunchMinutes: number;
}

/** Shift minutes planned over the local days [fromDay, toDay) (yyyy-mm-dd, UTC date arithmetic). */
export function shiftMinutes(shifts: readonly Shift[], fromDay: string, toDay: string): number {
  let total = 0;
  for (let d = new Date(`${fromDay}T00:00:00Z`); d < new Date(`${toDay}T00:00:00Z`); d = new Date(d.getTime() + DAY)) {
    const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
    for (const s of shifts) if (s.weekday === weekday) total += Math.max(0, s.endsAt - s.startsAt - s.lunchMinutes);
  }
  return total;
}

export interface TechnicianFigures {
  visits: number;
  onSiteHours: number;
  travelHours: number;
  travelShare: number | null;
  utilisation: number | null;
  firstTimeFix: Rate;
  meanRating: number | null;
}

/** A technician's figures: `visits` checked in during the period, `resolved` attributed to them. */
export function technicianFigures(
  visits: readonly Visit[],
  resolved: readonly RequestFacts[],
  shiftMinutesInPeriod: number,
): TechnicianFigures {
  const onSite = visits.filter((v) => v.mode === 'on_site');
  const onSiteMinutes = onSite.reduce((s, v) => s + (v.checkedOutAt ? minutes(v.checkedInAt, v.checkedOutAt) : 0), 0);
  const travel = onSite.reduce((s, v) => s + v.travelMinutes, 0);
  const ratings = resolved.map((r) => r.rating).filter(defined);
  return {
    visits: onSite.length,
    onSiteHours: onSiteMinutes / 60,
    travelHours: travel / 60,
    travelShare: onSiteMinutes + travel > 0 ? travel / (onSiteMinutes + travel) : null,
    utilisation: shiftMinutesInPeriod > 0 ? (onSiteMinutes + travel) / shiftMinutesInPeriod : null,
    firstTimeFix: rate(resolved.filter((r) => r.firstTimeFix === true).length, resolved.length),
    meanRating: ratings.length ? ratings.reduce((s, x) => s + x, 0) / ratings.length : null,
  };
}

/** Prior of the technicians' Bayesian rating: mean 4.0 weighing as much as five answers. */
export const RATING_PRIOR = { mean: 4, weight: 5 } as const;

/** The Bayesian average rating: (C·m + Σ ratings) / (C + n). */
export function bayesianRating(sum: number, count: number, prior: { mean: number; weight: number } = RATING_PRIOR): number {
  return (prior.weight * prior.mean + sum) / (prior.weight + count);
}
