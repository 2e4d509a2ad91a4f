/**
 * Dispatcher overrides on the generated 40-technician / 300-visit day (seed 42): plans it, then
 * applies a series of overrides, each as the plan-override activity does (the override becomes
 * optimizer changes, then the incremental re-solve with the activity's stop rule), and prints the
 * latency, the confirmed visits moved and an independent check of each new version. Optimizer
 * side only: the API + workflow + PostgreSQL round trip adds ≈0.3 s (see the integration test's
 * printed figure). `npm run bench:overrides [-- --budget-ms 800]`
 */
import { parseArgs } from 'node:util';
import { anyOf, maxIterations, maxRuntime, noImprovement, resolve, solve, type CurrentPlan, type Result } from '../optimizer/index.js';
import { applyOverrides, overrideRefusal, type DayOverride } from '../optimizer/index.js';
import { checkPlan } from '../optimizer/testing/dispatch-check.js';
import { generateDispatchDay } from '../optimizer/testing/dispatch-generator.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4.2' },
    seed: { type: 'string', default: '42' },
    'budget-ms': { type: 'string', default: '800' },
  },
});
const problem = generateDispatchDay(Number(values.seed));
const budgetMs = Number(values['budget-ms']);
const planned = await solve(problem, { seed: 1, stop: maxRuntime(Number(values.seconds) * 1000 - 300) });
console.log(
  `day: ${problem.technicians.length} technicians, ${problem.visits.length} visits; plan ${planned.routes.reduce((n, r) => n + r.stops.length, 0)} placed, ${planned.unassigned.length} unassigned`,
);

const skillsOf = (id: string) => problem.technicians.find((t) => t.id === id)!.skills ?? {};
const visitOf = (id: string) => problem.visits.find((v) => v.id === id)!;
const qualified = (techId: string, visitId: string) =>
  (visitOf(visitId).requiredSkills ?? []).every((s) => (skillsOf(techId)[s.skill] ?? 0) >= (s.minLevel ?? 1)) &&
  !(visitOf(visitId).requiredCertifications ?? []).length;
const routesOf = (r: Result): CurrentPlan => ({
  routes: r.routes.map((x) => ({ technicianId: x.technicianId, visitIds: x.stops.map((s) => s.visitId) })),
});

// Overrides a dispatcher would make, picked from the plan: a move to another qualified
// technician, a lock, a removal, an absence from 13:00, a whole-day absence, an unqualified pin.
const used = planned.routes.filter((r) => r.stops.length >= 3);
const a = used[0]!;
const b = used.find(
  (r) =>
    r.technicianId !== a.technicianId &&
    a.stops.some((s) => !visitOf(s.visitId).pinnedTechnicianId && qualified(r.technicianId, s.visitId)),
)!;
const movable = a.stops.find((s) => !visitOf(s.visitId).pinnedTechnicianId && qualified(b.technicianId, s.visitId))!;
const hard = planned.routes
  .flatMap((r) => r.stops.map((s) => s.visitId))
  .find((id) => !visitOf(id).pinnedTechnicianId && problem.technicians.some((t) => !qualified(t.id, id)))!;
const unqualified = problem.technicians.find((t) => !qualified(t.id, hard))!;
const steps: Array<{ label: string; override: DayOverride }> = [
  {
    label: `move ${movable.visitId} ${a.technicianId} → ${b.technicianId}`,
    override: { kind: 'move', visitId: movable.visitId, technicianId: b.technicianId },
  },
  {
    label: `lock ${used[1]!.stops[1]!.visitId}`,
    override: {
      kind: 'lock',
      visitId: used[1]!.stops[1]!.visitId,
      technicianId: used[1]!.technicianId,
      start: Math.ceil(used[1]!.stops[1]!.start),
    },
  },
  { label: `remove ${used[2]!.stops[0]!.visitId}`, override: { kind: 'remove', visitId: used[2]!.stops[0]!.visitId } },
  { label: `${used[3]!.technicianId} absent from 13:00`, override: { kind: 'absent', technicianId: used[3]!.technicianId, from: 780 } },
  { label: `${used[4]!.technicianId} absent all day`, override: { kind: 'absent', technicianId: used[4]!.technicianId } },
  { label: `move ${hard} → unqualified ${unqualified.id}`, override: { kind: 'move', visitId: hard, technicianId: unqualified.id } },
];

let current: Result = planned;
const applied: DayOverride[] = [];
const times: number[] = [];
for (const step of steps) {
  const t0 = performance.now();
  const changed = applyOverrides(problem, routesOf(current), [...applied, step.override]);
  const re = await resolve(changed.problem, changed.plan, {
    seed: 1,
    stop: anyOf(maxRuntime(budgetMs), maxIterations(500_000), noImprovement(20_000)),
  });
  const refusal = overrideRefusal(step.override, re);
  const ms = performance.now() - t0;
  times.push(ms);
  const confirmed = changed.plan.routes.reduce((n, r) => n + r.visitIds.length, 0);
  if (refusal) {
    console.log(`${step.label}: refused in ${ms.toFixed(0)} ms — ${refusal.reason}: "${refusal.message.en}" / "${refusal.message.fr}"`);
    continue;
  }
  const violations = checkPlan(changed.problem, re);
  console.log(
    `${step.label}: ${ms.toFixed(0)} ms (${re.stats.iterations} iterations), moved ${re.moved.length}/${confirmed} confirmed visits` +
      `${
        re.moved.length
          ? ` [${re.moved
              .slice(0, 4)
              .map((m) => `${m.visitId} ${m.from}→${m.to ?? 'unassigned'}`)
              .join(', ')}${re.moved.length > 4 ? ', …' : ''}]`
          : ''
      }, unassigned ${re.unassigned.length} (was ${current.unassigned.length}), check: ${violations.length} hard violations`,
  );
  applied.push(step.override);
  current = re;
}
const sorted = [...times].sort((x, y) => x - y);
console.log(
  `override latency (optimizer side, budget ${budgetMs} ms): median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
);
