import { describe, expect, it } from 'vitest';
import { isPublicHoliday } from '../sla/french-holidays.js';
import type { SlaCalendar } from '../sla/sla-calendar.js';
import {
  bayesianRating,
  percentile,
  recurrence,
  requestFacts,
  shiftMinutes,
  summarize,
  technicianFigures,
  type FactRow,
  type RequestHistory,
  type Transition,
} from './kpi.js';

// November 2026 in Paris is CET (UTC+1): 09:00–18:00 local = 08:00–17:00Z.
const business: SlaCalendar = { coverage: 'business_hours', timezone: 'Europe/Paris', isHoliday: (d) => isPublicHoliday(d) };
const allDay: SlaCalendar = { coverage: '24_7', timezone: 'Europe/Paris' };
const at = (iso: string) => new Date(iso);
const t = (iso: string, from: string | null, to: string, detailsType: string | null = null): Transition => ({
  at: at(iso),
  from,
  to,
  detailsType,
});

/**
 * A: filed Friday 17:00 Paris, answered Monday 9:30, waits 3 h for the client on Monday,
 * one visit Tuesday, validated Tuesday 17:00, rated 5.
 */
const A: RequestHistory = {
  requestId: 'A',
  createdAt: at('2026-11-20T16:00:00Z'),
  firstResponseAt: at('2026-11-23T08:30:00Z'),
  resolvedAt: at('2026-11-24T16:00:00Z'),
  responseDueAt: at('2026-11-23T09:00:00Z'),
  resolutionDueAt: at('2026-11-24T15:00:00Z'),
  transitions: [
    t('2026-11-20T16:00:00Z', 'new', 'analysis'),
    t('2026-11-23T10:00:00Z', 'analysis', 'awaiting_client_info'),
    t('2026-11-23T13:00:00Z', 'awaiting_client_info', 'analysis'),
    t('2026-11-23T13:10:00Z', 'analysis', 'awaiting_planning'),
    t('2026-11-23T13:20:00Z', 'awaiting_planning', 'scheduled'),
    t('2026-11-24T12:00:00Z', 'scheduled', 'in_progress'),
    t('2026-11-24T14:00:00Z', 'in_progress', 'awaiting_validation'),
    t('2026-11-24T16:00:00Z', 'awaiting_validation', 'validated'),
    t('2026-11-24T16:01:00Z', 'validated', 'survey'),
    t('2026-11-24T18:00:00Z', 'survey', 'closed'),
  ],
  visits: [
    {
      technicianId: 'T1',
      mode: 'on_site',
      checkedInAt: at('2026-11-24T12:00:00Z'),
      checkedOutAt: at('2026-11-24T14:00:00Z'),
      travelMinutes: 30,
    },
  ],
  survey: { rating: 5, comment: 'parfait' },
  calendar: business,
};

/** B (24/7 contract), reopened: the client rejects the first visit's work, a second visit fixes it; rated 2. */
const B: RequestHistory = {
  requestId: 'B',
  createdAt: at('2026-11-02T08:00:00Z'),
  firstResponseAt: at('2026-11-02T08:30:00Z'),
  resolvedAt: at('2026-11-04T12:00:00Z'),
  responseDueAt: at('2026-11-02T08:15:00Z'),
  resolutionDueAt: at('2026-11-05T08:00:00Z'),
  transitions: [
    t('2026-11-02T08:00:00Z', 'new', 'analysis'),
    t('2026-11-02T08:30:00Z', 'analysis', 'awaiting_planning'),
    t('2026-11-02T09:00:00Z', 'awaiting_planning', 'scheduled'),
    t('2026-11-03T09:00:00Z', 'scheduled', 'in_progress'),
    t('2026-11-03T10:00:00Z', 'in_progress', 'awaiting_validation'),
    t('2026-11-03T12:00:00Z', 'awaiting_validation', 'awaiting_planning'),
    t('2026-11-03T12:30:00Z', 'awaiting_planning', 'scheduled'),
    t('2026-11-04T09:00:00Z', 'scheduled', 'in_progress'),
    t('2026-11-04T11:00:00Z', 'in_progress', 'awaiting_validation'),
    t('2026-11-04T12:00:00Z', 'awaiting_validation', 'validated'),
    t('2026-11-04T12:01:00Z', 'validated', 'survey'),
  ],
  visits: [
    {
      technicianId: 'T2',
      mode: 'on_site',
      checkedInAt: at('2026-11-03T09:00:00Z'),
      checkedOutAt: at('2026-11-03T10:00:00Z'),
      travelMinutes: 20,
    },
    {
      technicianId: 'T2',
      mode: 'on_site',
      checkedInAt: at('2026-11-04T09:00:00Z'),
      checkedOutAt: at('2026-11-04T11:00:00Z'),
      travelMinutes: 20,
    },
  ],
  survey: { rating: 2, comment: 'deux passages' },
  calendar: allDay,
};

/**
 * C: filed on 11 November (Armistice, a holiday) at 10:00 Paris, answered Thursday 9:00, sent to a
 * specialist Thursday 10:00, solved remotely, validated Thursday 16:00; survey not answered.
 */
const C: RequestHistory = {
  requestId: 'C',
  createdAt: at('2026-11-11T09:00:00Z'),
  firstResponseAt: at('2026-11-12T08:00:00Z'),
  resolvedAt: at('2026-11-12T15:00:00Z'),
  responseDueAt: at('2026-11-12T08:00:00Z'),
  resolutionDueAt: null,
  transitions: [
    t('2026-11-11T09:00:00Z', 'new', 'analysis'),
    t('2026-11-12T09:00:00Z', 'analysis', 'specialist_review'),
    t('2026-11-12T11:00:00Z', 'specialist_review', 'solution_proposed'),
    t('2026-11-12T15:00:00Z', 'solution_proposed', 'validated'),
    t('2026-11-12T15:01:00Z', 'validated', 'survey'),
    t('2026-11-20T15:01:00Z', 'survey', 'closed'),
  ],
  visits: [],
  survey: null,
  calendar: business,
};

/** D: filed 25 November on A's asset, still open. */
const D: RequestHistory = {
  requestId: 'D',
  createdAt: at('2026-11-25T10:00:00Z'),
  firstResponseAt: null,
  resolvedAt: null,
  responseDueAt: at('2026-11-25T12:00:00Z'),
  resolutionDueAt: null,
  transitions: [t('2026-11-25T10:00:00Z', 'new', 'analysis')],
  visits: [],
  survey: null,
  calendar: business,
};

describe('facts of one request', () => {
  it('counts business hours across a weekend and removes the client-wait pause (A)', () => {
    const f = requestFacts(A);
    // Fri 16:00Z → Mon 08:30Z = 2 d 16 h 30 = 3870 min; covered: Fri 17–18 h + Mon 9–9:30 = 90.
    expect(f.firstResponseMinutes).toBe(3870);
    expect(f.firstResponseBusinessMinutes).toBe(90);
    // 4 days = 5760 min minus the 180-min pause; covered Fri 60 + Mon 540 + Tue 480 = 1080, minus 180.
    expect(f.pausedMinutes).toBe(180);
    expect(f.pausedBusinessMinutes).toBe(180);
    expect(f.resolutionMinutes).toBe(5580);
    expect(f.resolutionBusinessMinutes).toBe(900);
    expect(f).toMatchObject({ responseMet: true, resolutionMet: false, escalated: false, firstTimeFix: true, rejections: 0 });
    expect(f).toMatchObject({ technicianId: 'T1', visits: 1, onSiteMinutes: 120, travelMinutes: 30, surveySent: true, rating: 5 });
  });

  it('measures a reopened request to its last validation and denies it the first-time fix (B)', () => {
    const f = requestFacts(B);
    // 2 Nov 08:00 → 4 Nov 12:00 = 52 h; a 24/7 contract covers all of it.
    expect(f.resolutionMinutes).toBe(3120);
    expect(f.resolutionBusinessMinutes).toBe(3120);
    expect(f).toMatchObject({ rejections: 1, visits: 2, firstTimeFix: false, responseMet: false, resolutionMet: true });
  });

  it('counts no business time on a public holiday, and times the escalation (C)', () => {
    const f = requestFacts(C);
    expect(f.firstResponseMinutes).toBe(23 * 60);
    // 11 Nov is a holiday, and the answer came at Thursday's opening: no covered time.
    expect(f.firstResponseBusinessMinutes).toBe(0);
    // Thursday 9:00 → 16:00 Paris.
    expect(f.resolutionBusinessMinutes).toBe(420);
    expect(f).toMatchObject({ escalated: true, escalationMinutes: 24 * 60, firstTimeFix: true, surveySent: true, rating: null, visits: 0 });
  });

  it('leaves the measures of an open request empty (D)', () => {
    expect(requestFacts(D)).toMatchObject({ firstResponseMinutes: null, resolutionMinutes: null, firstTimeFix: null, responseMet: null });
  });
});

describe('recurrence within 30 days', () => {
  const keys = [
    { requestId: 'A', assetId: 'X', locationId: 'S2', serviceType: 'security', createdAt: A.createdAt, resolvedAt: A.resolvedAt },
    { requestId: 'B', assetId: null, locationId: 'S1', serviceType: 'hardware_repair', createdAt: B.createdAt, resolvedAt: B.resolvedAt },
    { requestId: 'C', assetId: 'Y', locationId: 'S1', serviceType: 'hardware_repair', createdAt: C.createdAt, resolvedAt: C.resolvedAt },
    { requestId: 'D', assetId: 'X', locationId: 'S3', serviceType: 'network_configuration', createdAt: D.createdAt, resolvedAt: null },
    // Same site and service as B, but 36 days after B's resolution.
    {
      requestId: 'E',
      assetId: null,
      locationId: 'S1',
      serviceType: 'hardware_repair',
      createdAt: at('2026-12-10T09:00:00Z'),
      resolvedAt: null,
    },
  ];

  it('matches the same asset (A → D), else the same site and service type beyond 30 days (B, not E)', () => {
    const r = recurrence(keys, at('2027-02-01T00:00:00Z'));
    expect(Object.fromEntries(r)).toEqual({ A: true, B: false, C: false, D: null, E: null });
  });

  it('leaves the answer open while the 30 days are not over', () => {
    // On 30 November C (resolved 12 Nov) may still recur until 12 December, and B until 4 December.
    const r = recurrence(keys, at('2026-11-30T00:00:00Z'));
    expect(r.get('C')).toBeNull();
    expect(r.get('B')).toBeNull();
    expect(r.get('A')).toBe(true);
  });
});

describe('summary of November 2026', () => {
  const rec = recurrence(
    [A, B, C, D].map((h, i) => ({
      requestId: h.requestId,
      assetId: ['X', null, 'Y', 'X'][i]!,
      locationId: 'S1',
      serviceType: ['security', 'hardware_repair', 'data_recovery', 'security'][i]!,
      createdAt: h.createdAt,
      resolvedAt: h.resolvedAt,
    })),
    at('2027-02-01T00:00:00Z'),
  );
  const rows: FactRow[] = [A, B, C, D].map((h) => ({
    ...requestFacts(h),
    createdAt: h.createdAt,
    resolvedAt: h.resolvedAt,
    closedAt: h.requestId === 'A' ? at('2026-11-24T18:00:00Z') : h.requestId === 'C' ? at('2026-11-20T15:01:00Z') : null,
    cancelledAt: null,
    recurred: rec.get(h.requestId) ?? null,
    hasResponseDue: h.responseDueAt !== null,
    hasResolutionDue: h.resolutionDueAt !== null,
  }));
  const s = summarize(rows, { from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') });

  it('counts the volume', () => {
    expect([s.created, s.closed, s.cancelled]).toEqual([4, 2, 0]);
  });

  it('gives median, mean and p90 of first response (A 3870, B 30, C 1380 wall; 90, 30, 0 business)', () => {
    // p90 of [30, 1380, 3870]: position 1.8 → 1380 + 0.8 × 2490 = 3372.
    expect(s.firstResponse.wall).toEqual({ count: 3, median: 1380, mean: 1760, p90: 3372 });
    expect(s.firstResponse.business).toEqual({ count: 3, median: 30, mean: 40, p90: 78 });
  });

  it('gives median, mean and p90 of resolution (5580, 3120, 1800 wall; 900, 3120, 420 business)', () => {
    expect(s.resolution.wall).toEqual({ count: 3, median: 3120, mean: 3500, p90: 5088 });
    expect(s.resolution.business).toEqual({ count: 3, median: 900, mean: 1480, p90: 2676 });
  });

  it('rates SLA compliance, escalation, first-time fix, recurrence and satisfaction', () => {
    // Response: A and C met, B late (D not answered); resolution: A late, B met (C has no due date).
    expect(s.slaResponse).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
    expect(s.slaResolution).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(s.escalation).toMatchObject({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(s.escalation.delay.median).toBe(1440);
    expect(s.firstTimeFix).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
    expect(s.recurrence).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
    // Surveys sent for A, B, C; answers 5 and 2.
    expect(s.satisfaction.mean).toBe(3.5);
    expect(s.satisfaction.promoters).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(s.satisfaction.responseRate).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
  });
});

describe('technician figures and rating', () => {
  it("sums T2's week of 2 November: 3 h on site, 40 min travel, against five 8-hour shifts", () => {
    const shifts = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startsAt: 8 * 60, endsAt: 17 * 60, lunchMinutes: 60 }));
    const minutes = shiftMinutes(shifts, '2026-11-02', '2026-11-09');
    expect(minutes).toBe(2400);
    const f = technicianFigures(B.visits, [requestFacts(B)], minutes);
    expect(f).toMatchObject({ visits: 2, onSiteHours: 3, travelHours: 40 / 60, meanRating: 2 });
    expect(f.travelShare).toBeCloseTo(40 / 220, 12);
    expect(f.utilisation).toBeCloseTo(220 / 2400, 12);
    expect(f.firstTimeFix).toEqual({ numerator: 0, denominator: 1, rate: 0 });
  });

  it('moves a Bayesian rating little on one answer', () => {
    // (5 × 4 + 5) / 6 and (5 × 4 + 1) / 6.
    expect(bayesianRating(5, 1)).toBeCloseTo(25 / 6, 12);
    expect(bayesianRating(1, 1)).toBe(3.5);
    expect(bayesianRating(0, 0)).toBe(4);
  });

  it('interpolates percentiles like percentile_cont', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10], 0.9)).toBe(10);
    expect(percentile([], 0.5)).toBeNull();
  });
});
