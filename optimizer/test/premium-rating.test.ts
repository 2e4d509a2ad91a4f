import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, maxIterations, solve, type Problem } from '../index.js';
import { premiumRatingBonus } from '../model/compiled-problem.js';

const paris = { lat: 48.8566, lon: 2.3522 };
const near = (dLat: number) => ({ lat: paris.lat + dLat, lon: paris.lon });

/** One visit at Paris; Nadia (rated 3.2) lives 1 km away, Hugo (rated 4.8) 3 km away. */
function day(premium: boolean, ratings = true): Problem {
  const tech = (id: string, dLat: number, rating: number) => ({
    id,
    shiftStart: 480,
    shiftEnd: 1020,
    home: near(dLat),
    hourlyCost: 40,
    ...(ratings ? { rating } : {}),
  });
  return {
    technicians: [tech('nadia', 0.009, 3.2), tech('hugo', 0.027, 4.8)],
    visits: [{ id: 'v', location: paris, duration: 60, priority: 3, ...(premium ? { premium: true } : {}) }],
  };
}

const assignee = async (problem: Problem) => {
  const result = await solve(problem, { seed: 1, stop: maxIterations(200) });
  return result.routes.find((r) => r.stops.some((s) => s.visitId === 'v'))?.technicianId;
};

describe('premium clients prefer well-rated technicians (soft term)', () => {
  it('values a rating point above the neutral 3 at the weight, and below it as a cost', () => {
    expect(premiumRatingBonus(4.8, DEFAULT_WEIGHTS)).toBeCloseTo(27, 9);
    expect(premiumRatingBonus(3, DEFAULT_WEIGHTS)).toBe(0);
    expect(premiumRatingBonus(2, { premiumRatingBonusPerPoint: 10 })).toBe(-10);
  });

  it('sends the nearer technician to an ordinary client', async () => {
    expect(await assignee(day(false))).toBe('nadia');
  });

  it('sends the better-rated technician to a premium client, a little farther away', async () => {
    expect(await assignee(day(true))).toBe('hugo');
  });

  it('changes nothing for a premium client when no technician has a rating', async () => {
    expect(await assignee(day(true, false))).toBe('nadia');
  });
});
