import { readFileSync } from 'node:fs';
import type { Problem } from '../index.js';

export interface SolomonInstance {
  readonly name: string;
  readonly vehicles: number;
  readonly capacity: number;
  /** Rows id, x, y, demand, ready, due, service; row 0 is the depot. */
  readonly nodes: readonly (readonly [number, number, number, number, number, number, number])[];
}

/** Parses a Solomon / Gehring-Homberger file (CRLF, whitespace separated). */
export function readSolomon(path: string): SolomonInstance {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/).filter(Boolean))
    .filter((p) => p.length > 0);
  const name = lines[0]![0]!;
  let vehicles = 0;
  let capacity = 0;
  const nodes: [number, number, number, number, number, number, number][] = [];
  lines.forEach((parts, i) => {
    if (parts[0]!.toUpperCase() === 'NUMBER') {
      const next = lines[i + 1]!;
      vehicles = Number(next[0]);
      capacity = Number(next[1]);
    }
    if (parts.length === 7 && parts.every((x) => /^\d+(\.\d+)?$/.test(x)))
      nodes.push(parts.map(Number) as [number, number, number, number, number, number, number]);
  });
  if (nodes[0]?.[0] !== 0 || vehicles === 0) throw new Error(`${path}: not a Solomon instance`);
  return { name, vehicles, capacity, nodes };
}

/** Maps the instance onto the field model: vehicles = technicians with capacity, customers = visits with one window. */
export function solomonToProblem(inst: SolomonInstance): Problem {
  const [, dx, dy, , ready, due] = inst.nodes[0]!;
  const home = { lat: dy, lon: dx };
  return {
    technicians: Array.from({ length: inst.vehicles }, (_, k) => ({
      id: `v${k}`,
      home,
      shiftStart: ready,
      shiftEnd: due,
      capacity: inst.capacity,
    })),
    visits: inst.nodes.slice(1).map(([id, x, y, demand, r, d, service]) => ({
      id: String(id),
      location: { lat: y, lon: x },
      duration: service,
      demand,
      timeWindows: [{ start: r, end: d }],
      priority: 1 as const,
    })),
  };
}

/** Total Euclidean distance of routes of customer ids (depot 0 at both ends). */
export function routesDistance(inst: SolomonInstance, routes: readonly (readonly number[])[]): number {
  const xy = (id: number): readonly [number, number] => [inst.nodes[id]![1], inst.nodes[id]![2]];
  let total = 0;
  for (const r of routes) {
    let prev = 0;
    for (const c of [...r, 0]) {
      const [ax, ay] = xy(prev);
      const [bx, by] = xy(c);
      total += Math.hypot(ax - bx, ay - by);
      prev = c;
    }
  }
  return total;
}
