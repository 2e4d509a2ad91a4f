/**
 * Input model of a dispatch day. Every time is a plain number in the problem's unit
 * (minutes from the start of the day for field service, instance units for benchmarks);
 * the calling activity converts dates. These types are read-only: the optimizer never mutates them.
 */

/** A point. For the haversine provider `lat`/`lon` are degrees; the Euclidean provider reads lon as x and lat as y. */
export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

/** A hard time window on the *start* of service: `start <= serviceStart <= end`. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Priority P1 (emergency) to P4 (whenever). */
export type Priority = 1 | 2 | 3 | 4;

export interface SkillRequirement {
  readonly skill: string;
  /** Minimum level required (default 1). */
  readonly minLevel?: number;
}

export interface LunchBreak {
  /** Earliest start of the break. */
  readonly earliestStart: number;
  /** Latest start of the break (hard). */
  readonly latestStart: number;
  readonly duration: number;
}

export interface Technician {
  readonly id: string;
  /** Skill name → level (1 = junior … 5 = expert). */
  readonly skills?: Readonly<Record<string, number>>;
  readonly certifications?: readonly string[];
  /** Shift of the day being planned. */
  readonly shiftStart: number;
  readonly shiftEnd: number;
  /** Minutes the technician may work after `shiftEnd` (hard limit; every minute is paid as overtime). */
  readonly maxOvertime?: number;
  /** Start location (home base). */
  readonly home: GeoPoint;
  /** End location, default `home`. */
  readonly end?: GeoPoint;
  readonly lunchBreak?: LunchBreak;
  /** Cost of one hour of work (currency units). */
  readonly hourlyCost?: number;
  /** Intervals where the technician is unavailable (doctor, training). A whole-shift absence removes the technician. */
  readonly absences?: readonly TimeWindow[];
  /** Customer rating, 0..5; a small bonus for high-rated technicians on P1/P2 work. */
  readonly rating?: number;
  /** Vehicle capacity (benchmarks); absent = unlimited. */
  readonly capacity?: number;
}

export interface Visit {
  readonly id: string;
  readonly location: GeoPoint;
  /** Service duration for a technician at the reference level. */
  readonly duration: number;
  readonly requiredSkills?: readonly SkillRequirement[];
  readonly requiredCertifications?: readonly string[];
  /** Scale the duration by the technician's level in the required skills (see `CostWeights.durationFactorByLevel`). */
  readonly scaleDurationBySkill?: boolean;
  /**
   * Allowed windows for the start of service (booked slot, site opening hours, [0, SLA latest
   * start]); absent = any time in the shift; empty = no start allowed that day (unassigned, `NO_TIME_WINDOW`).
   */
  readonly timeWindows?: readonly TimeWindow[];
  /** Soft SLA target for the start of service: every minute after it costs `weights.latenessPerMinute`. */
  readonly slaTarget?: number;
  readonly priority: Priority;
  /** Dispatcher override: only this technician may do the visit (hard). */
  readonly pinnedTechnicianId?: string;
  /** Dispatcher override: service must start exactly at this time (hard). */
  readonly pinnedStart?: number;
  readonly preferredTechnicianId?: string;
  /** Optional visits are cheap to leave out (see `CostWeights.optionalFactor`). */
  readonly optional?: boolean;
  /** Load (benchmarks); default 0. */
  readonly demand?: number;
  /** A client on a premium contract: well-rated technicians are preferred (`CostWeights.premiumRatingBonusPerPoint`). */
  readonly premium?: boolean;
}

/** A day to plan. */
export interface Problem {
  readonly technicians: readonly Technician[];
  readonly visits: readonly Visit[];
}
