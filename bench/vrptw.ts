/**
 * Solves one Solomon-format VRPTW instance (minimum total distance, fleet ≤ K):
 *   npm run --silent vrptw -- --instance <file.txt> --seconds <n> --out <solution.json> [--seed <s>] [--sp]
 * Writes {"routes": [[customer ids]], "distance", "vehicles", "seconds"} (depot 0 left out).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_PARAMS,
  DISTANCE_ONLY_WEIGHTS,
  EuclideanTravelTimeProvider,
  maxIterations,
  maxRuntime,
  solve,
} from '../optimizer/index.js';
import { readSolomon, routesDistance, solomonToProblem } from '../optimizer/testing/solomon-reader.js';

const { values } = parseArgs({
  options: {
    instance: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    sp: { type: 'boolean', default: false },
    'no-ls': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    t0: { type: 'string' },
    iterations: { type: 'string' },
    tf: { type: 'string' },
    removed: { type: 'string' },
  },
});
if (!values.instance) {
  console.error('usage: vrptw --instance <file.txt> --seconds <n> --out <solution.json> [--seed <s>] [--sp]');
  process.exit(2);
}
const t0 = performance.now();
const inst = readSolomon(values.instance);
const problem = solomonToProblem(inst);
const seconds = Number(values.seconds);
const spMs = values.sp ? Math.min(2000, seconds * 150) : 0;
const result = await solve(problem, {
  seed: Number(values.seed),
  stop: values.iterations
    ? maxIterations(Number(values.iterations))
    : maxRuntime(Math.max(100, seconds * 1000 - (performance.now() - t0) - spMs - 150)),
  baseWeights: DISTANCE_ONLY_WEIGHTS,
  travel: new EuclideanTravelTimeProvider(),
  params: {
    setPartitioning: values.sp,
    setPartitioningMs: spMs,
    localSearch: !values['no-ls'],
    annealing: {
      ...DEFAULT_PARAMS.annealing,
      ...(values.t0 ? { initialTemperature: Number(values.t0) } : {}),
      ...(values.tf ? { finalTemperature: Number(values.tf) } : {}),
      ...(values.removed ? { ruinRecreate: { ...DEFAULT_PARAMS.annealing.ruinRecreate, averageRemoved: Number(values.removed) } } : {}),
    },
  },
});
const routes = result.routes.map((r) => r.stops.map((s) => Number(s.visitId)));
const distance = routesDistance(inst, routes);
const elapsed = (performance.now() - t0) / 1000;
const out = { routes, distance, vehicles: routes.length, seconds: Number(elapsed.toFixed(3)) };
if (values.out) writeFileSync(values.out, JSON.stringify(out));
if (!values.quiet) {
  const sp = result.stats.setPartitioning;
  console.log(
    JSON.stringify({
      instance: inst.name,
      distance: Number(distance.toFixed(2)),
      vehicles: routes.length,
      unassigned: result.unassigned.length,
      seconds: out.seconds,
      iterations: result.stats.iterations,
      construction: Number(result.stats.constructionCost.toFixed(2)),
      ...(sp
        ? {
            sp: {
              pool: sp.routesInPool,
              before: Number(sp.before.toFixed(2)),
              after: Number(sp.after.toFixed(2)),
              ms: Math.round(sp.ms),
              status: sp.status,
            },
          }
        : {}),
    }),
  );
}
