import lpModule from 'javascript-lp-solver';

/** The small part of javascript-lp-solver used here (its bundled typings do not resolve the default export under NodeNext). */
export interface LpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, { equal?: number; max?: number; min?: number }>;
  variables: Record<string, Record<string, number>>;
  binaries?: Record<string, 1>;
  options?: { timeout?: number; tolerance?: number };
}

export interface LpSolver {
  Solve(model: LpModel): Record<string, number | boolean | undefined>;
}

const mod = lpModule as unknown as LpSolver & { default?: LpSolver };
/** javascript-lp-solver's solver object, whichever way the bundler exposes it. */
export const lpSolver: LpSolver = typeof mod.Solve === 'function' ? mod : mod.default!;
