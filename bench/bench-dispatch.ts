/**
 * A generated, realistic field-service day in Île-de-France (40 technicians, 300 visits, seed 42)
 * with sites' opening hours and closures and certifications with expiry dates, timed by the
 * offline zone travel model: plans it, checks the plan independently (hard rules, then opening
 * hours and valid certifications from the raw facts), then inserts one emergency P1 into the
 * finished plan with the incremental re-solve. Prints figures and the memory peak.
 * `npm run bench:dispatch [-- --seconds 4.2]`
 */
import { parseArgs } from 'node:util';
import { applyChange, maxRuntime, resolve, solve, ZoneSpeedTravelTimeProvider, type CurrentPlan, type Visit } from '../optimizer/index.js';
import { checkPlan, checkReality } from '../optimizer/testing/dispatch-check.js';
import { generateRealisticDay } from '../optimizer/testing/dispatch-generator.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4.2' },
    seed: { type: 'string', default: '42' },
    'resolve-ms': { type: 'string', default: '200' },
  },
});
const { problem, facts } = generateRealisticDay(Number(values.seed));
const travel = new ZoneSpeedTravelTimeProvider();
const fmt = (x: number, d = 1) => x.toFixed(d);
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(Math.round(m % 60)).padStart(2, '0')}`;

const t0 = performance.now();
let heartbeats = 0;
const result = await solve(problem, {
  seed: 1,
  travel,
  stop: maxRuntime(Number(values.seconds) * 1000 - 300),
  onProgress: () => heartbeats++,
});
const planMs = performance.now() - t0;
const violations = [...checkPlan(problem, result, travel), ...checkReality(result, facts)];
const byPrio = [1, 2, 3, 4].map((p) => ({
  p,
  total: problem.visits.filter((v) => v.priority === p).length,
  un: result.unassigned.filter((u) => u.priority === p).length,
}));
const reasons = new Map<string, number>();
for (const u of result.unassigned) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
const closedSites = [...facts.openRanges.values()].filter((r) => r.length === 0).length;
console.log(`dispatch day: ${problem.technicians.length} technicians, ${problem.visits.length} visits (seed ${values.seed})`);
console.log(
  `reality: ${facts.openRanges.size} visits at sites with opening hours (${closedSites} closed that day), ${facts.requiredCertifications.size} needing a certification, ` +
    `${[...facts.heldCertifications.values()].flat().filter((c) => c.expiresOn !== null && c.expiresOn <= facts.day).length} expired certifications held; travel: zone model (docs/travel.md)`,
);
console.log(
  `plan: ${fmt(planMs, 0)} ms, ${result.stats.iterations} iterations, ${heartbeats} progress reports, feasible=${result.feasible}, independent check: ${violations.length} hard violations (opening hours and certifications included)`,
);
for (const v of violations.slice(0, 10)) console.log(`  violation: ${v}`);
console.log(`placed: ${byPrio.map((b) => `P${b.p} ${b.total - b.un}/${b.total}`).join(', ')}; all P1 placed: ${result.allP1Placed}`);
console.log(
  `unassigned reasons: ${[...reasons].map(([r, c]) => `${r} ${c}`).join(', ') || 'none'}${result.unassigned[0] ? ` (e.g. ${result.unassigned[0].visitId}: "${result.unassigned[0].message.en}" / "${result.unassigned[0].message.fr}")` : ''}`,
);
const used = result.routes.filter((r) => r.stops.length > 0);
const work = used.map((r) => r.returnTime - r.departure);
console.log(
  `routes: ${used.length} technicians used, travel ${fmt(result.cost.travelMinutes / 60)} h (${fmt(result.cost.distance, 0)} km), overtime ${fmt(result.cost.overtimeMinutes, 0)} min, SLA lateness ${fmt(result.cost.latenessMinutes, 0)} min, ` +
    `day length min/mean/max ${fmt(Math.min(...work) / 60)}/${fmt(work.reduce((a, b) => a + b, 0) / work.length / 60)}/${fmt(Math.max(...work) / 60)} h`,
);
console.log(
  `cost: total ${fmt(result.cost.total)} (unassigned ${fmt(result.cost.unassignedPenalty)}, lateness ${fmt(result.cost.lateness)}, travel ${fmt(result.cost.travel)}, overtime ${fmt(result.cost.overtime)}, labor ${fmt(result.cost.labor)}, fairness ${fmt(result.cost.fairness)}, assignment ${fmt(result.cost.assignment)})`,
);

// Emergency at 10:30: visits started by then are frozen, the rest of the plan is confirmed.
const now = 630;
const plan: CurrentPlan = {
  routes: result.routes.map((r) => ({
    technicianId: r.technicianId,
    visitIds: r.stops.filter((s) => s.start > now).map((s) => s.visitId),
  })),
  started: result.routes.flatMap((r) =>
    r.stops.filter((s) => s.start <= now).map((s) => ({ visitId: s.visitId, technicianId: r.technicianId, start: s.start, end: s.end })),
  ),
};
const emergency: Visit = {
  id: 'emergency-1',
  location: { lat: 48.8738, lon: 2.295 },
  duration: 60,
  requiredSkills: [{ skill: 'server', minLevel: 2 }],
  timeWindows: [{ start: now, end: now + 150 }],
  slaTarget: now + 60,
  priority: 1,
};
const changed = applyChange(problem, plan, { kind: 'emergency', visit: emergency });
const t1 = performance.now();
const re = await resolve(changed.problem, changed.plan, { seed: 1, travel, stop: maxRuntime(Number(values['resolve-ms'])) });
const reMs = performance.now() - t1;
const placed = re.routes.find((r) => r.stops.some((s) => s.visitId === emergency.id));
const stop = placed?.stops.find((s) => s.visitId === emergency.id);
const frozen = new Set(plan.started?.map((s) => s.visitId));
const reViolations = [...checkPlan(changed.problem, re, travel, frozen), ...checkReality(re, facts, frozen)];
for (const v of reViolations.slice(0, 10)) console.log(`  violation: ${v}`);
const confirmed = plan.routes.reduce((a, r) => a + r.visitIds.length, 0);
console.log(
  `emergency P1 at ${hhmm(now)}: re-solve ${fmt(reMs, 0)} ms, placed=${!!stop}${stop ? ` with ${placed!.technicianId} at ${hhmm(stop.start)}` : ''}, ` +
    `confirmed visits moved ${re.moved.length}/${confirmed}, started visits kept ${plan.started?.length ?? 0}, unassigned ${re.unassigned.length} (was ${result.unassigned.length}), check: ${reViolations.length} violations`,
);
const mem = process.memoryUsage();
console.log(`memory: peak RSS ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB, heap used ${fmt(mem.heapUsed / 2 ** 20, 0)} MB`);
