/**
 * A believable past, generated (seeded, so every run is the same): closed interventions with the
 * seasonality of an IT support desk (busy Mondays, quiet weekends and public holidays, a slow
 * August, a busy September and January), a few recurring problems (assets that break again
 * within weeks), pauses waiting for the client, escalations, rework after a rejected validation,
 * and satisfaction that follows how it went. Used by the demo seed (a year) and by
 * `npm run bench:reports` (100,000 interventions).
 */
import { isPublicHoliday } from '../activities/sla/french-holidays.js';
import type { HistoricalRequest, HistoricalTransition, HistoricalVisit, HistoryTargets } from '../db/repositories/history.repository.js';
import { SERVICE_TYPES, type Priority, type ServiceType } from '../workflows/intervention/intervention.vocabulary.js';

const MIN = 60_000;
const DAY = 86_400_000;

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Relative load per ISO weekday (1 = Monday) and per month (1 = January). */
export const WEEKDAY_LOAD = [0, 1.35, 1.1, 1.0, 0.95, 0.85, 0.12, 0.06];
export const MONTH_LOAD = [0, 1.2, 1.1, 1.0, 0.95, 0.95, 0.9, 0.75, 0.55, 1.25, 1.1, 1.05, 0.85];
/** Share of each service type in the requests. */
const SERVICE_MIX: Record<ServiceType, number> = {
  hardware_repair: 0.3,
  software_troubleshooting: 0.28,
  network_configuration: 0.17,
  data_recovery: 0.05,
  security: 0.1,
  hardware_upgrade: 0.1,
};
const PRIORITY_MIX: Array<[Priority, number]> = [
  ['P1', 0.05],
  ['P2', 0.2],
  ['P3', 0.5],
  ['P4', 0.25],
];
/** Response and resolution targets (minutes, wall clock here) per priority. */
const TARGETS: Record<Priority, [number, number]> = { P1: [60, 480], P2: [240, 1440], P3: [480, 4320], P4: [1440, 7200] };
const TITLES: Record<ServiceType, string[]> = {
  hardware_repair: ['Poste qui ne démarre plus', 'Écran noir au démarrage', 'Imprimante bloquée', 'Clavier défectueux'],
  software_troubleshooting: ['Outlook plante à l’ouverture', 'Erreur de licence Office', 'Logiciel métier lent', 'Mise à jour en échec'],
  network_configuration: ['Wi-Fi instable en salle de réunion', 'VPN impossible', 'Switch à reconfigurer', 'Perte de connexion réseau'],
  data_recovery: ['Fichiers supprimés par erreur', 'Disque externe illisible'],
  security: ['Courriel d’hameçonnage reçu', 'Antivirus désactivé', 'Compte verrouillé'],
  hardware_upgrade: ['Ajout de mémoire', 'Remplacement du disque par un SSD', 'Nouveau poste à installer'],
};

const pick = <T>(r: () => number, mix: Array<[T, number]>): T => {
  let x = r();
  for (const [v, w] of mix) {
    if (x < w) return v;
    x -= w;
  }
  return mix.at(-1)![0];
};
const lognormal = (r: () => number, median: number, sigma: number) => {
  const u = Math.max(1e-9, r());
  const v = r();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
};

/** Expected requests on a day, relative to `perWeek` on an ordinary week. */
export function dayLoad(day: Date, perWeek: number): number {
  const iso = day.toISOString().slice(0, 10);
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  const holiday = isPublicHoliday(iso) ? 0.08 : 1;
  const weekSum = WEEKDAY_LOAD.reduce((s, x) => s + x, 0);
  return (perWeek / weekSum) * WEEKDAY_LOAD[weekday]! * MONTH_LOAD[day.getUTCMonth() + 1]! * holiday;
}

function poisson(r: () => number, lambda: number): number {
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * lognormalStd(r)));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k += 1;
    p *= r();
  } while (p > l);
  return k - 1;
}
function lognormalStd(r: () => number) {
  return Math.sqrt(-2 * Math.log(Math.max(1e-9, r()))) * Math.cos(2 * Math.PI * r());
}

export interface HistoryOptions {
  /** First and last day (UTC dates) of the history; every request is closed by `until`. */
  from: Date;
  until: Date;
  /** Requests on an ordinary week (all companies). */
  perWeek: number;
  seed?: number;
  /** Ticket numbers are INT-<year>-<prefix><sequence>: a prefix keeps them clear of the live sequence. */
  ticketPrefix?: number;
  /** Share of the requests that name one of the company's assets (the others: its site and service type). */
  assetShare?: number;
}

/** One asset in this many breaks again and again: the few recurring problems. */
const FRAGILE_EVERY = 24;

/** Closed (and a few cancelled) interventions between `from` and `until`, in creation order. */
export function generateHistory(targets: HistoryTargets, o: HistoryOptions): HistoricalRequest[] {
  const r = rng(o.seed ?? 2026);
  const clients = targets.clients.filter((c) => c.locationIds.length > 0);
  const techs = targets.technicianIds;
  const out: HistoricalRequest[] = [];
  const assetShare = o.assetShare ?? 0.9;
  /** Assets that will break again: the recurring problems. */
  const fragile = new Set(clients.flatMap((c) => c.assets.filter((_, i) => i % FRAGILE_EVERY === 0).map((a) => a.id)));
  // Companies file requests in proportion to their equipment (at least ten assets' worth).
  const clientMix = clients.map((c) => [c, Math.max(10, c.assets.length)] as [(typeof clients)[number], number]);
  const mixTotal = clientMix.reduce((s, [, w]) => s + w, 0);
  const clientWeights = clientMix.map(([c, w]) => [c, w / mixTotal] as [(typeof clients)[number], number]);
  const recurrences: Array<{ at: number; base: HistoricalRequest }> = [];
  let seq = 0;
  const ticket = (at: Date) => `INT-${at.getUTCFullYear()}-${o.ticketPrefix ?? 9}${String(++seq).padStart(8, '0')}`;
  for (let day = new Date(o.from); day < o.until; day = new Date(day.getTime() + DAY)) {
    const n = poisson(r, dayLoad(day, o.perWeek));
    const todays: Array<{ at: Date; from?: HistoricalRequest }> = [];
    for (let i = 0; i < n; i++) {
      const hour = 7 + r() * 11;
      todays.push({ at: new Date(day.getTime() + hour * 3_600_000) });
    }
    while (recurrences.length > 0 && recurrences[0]!.at < day.getTime() + DAY) {
      const next = recurrences.shift()!;
      if (next.at >= day.getTime()) todays.push({ at: new Date(next.at), from: next.base });
    }
    for (const t of todays) {
      const client = t.from ? clients.find((c) => c.clientId === t.from!.clientId)! : pick(r, clientWeights);
      const asset = t.from?.assetId
        ? client.assets.find((a) => a.id === t.from!.assetId)!
        : client.assets.length > 0 && r() < assetShare
          ? client.assets[Math.floor(r() * client.assets.length)]!
          : null;
      const serviceType: ServiceType =
        t.from?.serviceType ??
        pick(
          r,
          SERVICE_TYPES.map((s) => [s, SERVICE_MIX[s]] as [ServiceType, number]),
        );
      const priority = pick(r, PRIORITY_MIX);
      const req = intervention(r, {
        ticketNumber: ticket(t.at),
        clientId: client.clientId,
        locationId: asset?.locationId ?? client.locationIds[Math.floor(r() * client.locationIds.length)]!,
        contractId: client.contract?.id ?? null,
        premium: client.contract?.kind === 'premium',
        assetId: asset?.id ?? null,
        serviceType,
        priority,
        createdAt: t.at,
        technicianId: techs[Math.floor(r() * techs.length)]!,
        recurring: t.from !== undefined,
      });
      if (req.closedAt && req.closedAt > o.until) continue;
      out.push(req);
      if (asset && fragile.has(asset.id) && req.resolvedAt && !t.from && r() < 0.5) {
        const at = req.resolvedAt.getTime() + (3 + r() * 24) * DAY;
        recurrences.push({ at, base: req });
        recurrences.sort((a, b) => a.at - b.at);
      }
    }
  }
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

function intervention(
  r: () => number,
  x: {
    ticketNumber: string;
    clientId: string;
    locationId: string;
    contractId: string | null;
    premium: boolean;
    assetId: string | null;
    serviceType: ServiceType;
    priority: Priority;
    createdAt: Date;
    technicianId: string;
    recurring: boolean;
  },
): HistoricalRequest {
  const created = x.createdAt.getTime();
  const [responseTarget, resolutionTarget] = TARGETS[x.priority];
  const at = (m: number) => new Date(created + m * MIN);
  const t: HistoricalTransition[] = [{ at: at(0), from: 'new', to: 'analysis' }];
  let clock = 0;
  const move = (minutes: number, to: HistoricalTransition['to'], detailsType?: string) => {
    const from = t.at(-1)!.to;
    clock += Math.max(1, minutes);
    t.push({ at: at(clock), from, to, ...(detailsType ? { detailsType } : {}) });
  };
  const respondIn = Math.min(lognormal(r, responseTarget * 0.35, 0.8), responseTarget * 4);
  const base = {
    ticketNumber: x.ticketNumber,
    clientId: x.clientId,
    locationId: x.locationId,
    contractId: x.contractId,
    assetId: x.assetId,
    serviceType: x.serviceType,
    priority: x.priority,
    title: TITLES[x.serviceType][Math.floor(r() * TITLES[x.serviceType].length)]!,
    createdAt: x.createdAt,
    firstResponseAt: at(respondIn),
    responseDueAt: x.contractId ? at(responseTarget) : null,
    resolutionDueAt: x.contractId ? at(resolutionTarget) : null,
  };
  if (r() < 0.04) {
    move(respondIn + r() * 600, 'cancelled');
    return { ...base, resolvedAt: null, closedAt: at(clock), cancelledAt: at(clock), transitions: t, visits: [], survey: null };
  }
  clock = respondIn;
  if (r() < 0.18) {
    move(5, 'awaiting_client_info');
    move(lognormal(r, 240, 1), 'analysis');
  }
  const escalated = r() < 0.09;
  if (escalated) move(lognormal(r, 120, 0.7), 'specialist_review', 'escalation');
  const remote = x.serviceType === 'software_troubleshooting' || x.serviceType === 'security' ? r() < 0.55 : r() < 0.12;
  const visits: HistoricalVisit[] = [];
  const skilled = x.premium ? 0.15 : 0;
  let rejected = false;
  if (remote) {
    move(lognormal(r, 90, 0.8), 'solution_proposed');
    if (r() < 0.08 - skilled / 3) {
      rejected = true;
      move(lognormal(r, 300, 0.6), 'awaiting_planning');
    } else move(lognormal(r, 180, 0.9), 'awaiting_validation');
  }
  if (!remote || rejected) {
    const visitCount = r() < 0.13 - skilled / 2 || x.recurring ? 2 : 1;
    if (!rejected) move(lognormal(r, 30, 0.5), 'awaiting_planning');
    for (let v = 0; v < visitCount; v++) {
      move(lognormal(r, 600, 0.7), 'scheduled');
      move(lognormal(r, 900, 0.6), 'in_progress');
      const onSite = lognormal(r, 80, 0.4);
      visits.push({
        technicianId: x.technicianId,
        checkedInAt: at(clock),
        checkedOutAt: at(clock + onSite),
        travelMinutes: Math.round(lognormal(r, 28, 0.4)),
      });
      move(onSite, 'awaiting_validation');
      if (v < visitCount - 1) {
        rejected = true;
        move(lognormal(r, 240, 0.6), 'awaiting_planning');
      }
    }
  }
  move(lognormal(r, 200, 1), 'validated');
  const resolvedAt = at(clock);
  move(5, 'invoiced');
  move(1, 'survey');
  const late = resolvedAt.getTime() > (base.resolutionDueAt?.getTime() ?? Infinity);
  let survey: HistoricalRequest['survey'] = null;
  if (r() < 0.62) {
    const mood = 4.5 - (rejected ? 1.3 : 0) - (late ? 0.8 : 0) - (escalated ? 0.3 : 0) - (x.recurring ? 0.6 : 0) + (r() - 0.5) * 1.6;
    const rating = Math.max(1, Math.min(5, Math.round(mood)));
    survey = {
      rating,
      comment: rating <= 2 ? 'Délai trop long, problème revenu.' : rating >= 5 ? 'Très réactif, merci.' : null,
      at: at(clock + 600),
    };
  }
  move(survey ? 600 : 7 * 1440, 'closed');
  return { ...base, resolvedAt, closedAt: at(clock), cancelledAt: null, transitions: t, visits, survey };
}
