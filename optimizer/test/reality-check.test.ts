/** The independent checker of opening hours and certifications catches what it must. */
import { describe, expect, it } from 'vitest';
import type { Result } from '../index.js';
import { checkReality } from '../testing/dispatch-check.js';

const stop = (visitId: string, start: number, end: number) => ({ visitId, arrival: start, start, end });
const result = (technicianId: string, stops: ReturnType<typeof stop>[]) =>
  ({ routes: [{ technicianId, stops }], unassigned: [] }) as unknown as Result;

describe('checkReality', () => {
  const facts = {
    day: '2026-11-23',
    openRanges: new Map([
      [
        'office',
        [
          { start: 510, end: 720 },
          { start: 840, end: 1080 },
        ],
      ],
      ['closed', []],
    ]),
    requiredCertifications: new Map([['office', ['BR']]]),
    heldCertifications: new Map([
      ['valid', [{ name: 'BR', obtainedOn: '2024-01-01', expiresOn: null }]],
      ['expired', [{ name: 'BR', obtainedOn: '2020-01-01', expiresOn: '2026-11-23' }]],
    ]),
  };

  it('accepts a visit wholly inside an open range, with a valid certification', () => {
    expect(checkReality(result('valid', [stop('office', 600, 720), stop('anywhere', 1200, 1260)]), facts)).toEqual([]);
  });

  it('flags a visit across the lunch closure, on a closed site, and a certification expired that day', () => {
    expect(checkReality(result('expired', [stop('office', 690, 750), stop('closed', 900, 960)]), facts)).toEqual([
      "office: 690–750 outside its site's opening hours",
      'office: expired has no valid BR on 2026-11-23',
      'closed: planned on a day its site is closed',
    ]);
  });
});
