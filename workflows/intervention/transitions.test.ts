import { describe, expect, it } from 'vitest';
import { REQUEST_STATUSES, commandUpdates, type CommandKind, type RequestStatus } from './intervention.contract.js';
import { validate, type CommandOf, type Situation } from './transitions.js';

/** Valid arguments of each action (so only the status decides in the table below). */
const VALID: CommandOf[] = [
  { kind: 'triage', args: { actor: 'support', decision: 'intervene' } },
  { kind: 'clientAnswer', args: { actor: 'client', answer: 'the model is X200' } },
  { kind: 'changePriority', args: { actor: 'support', priority: 'P1', reason: 'the whole floor is down' } },
  {
    kind: 'assign',
    args: { actor: 'dispatcher', technicianId: 't-1', start: '2026-12-01T09:00:00Z', end: '2026-12-01T10:00:00Z', source: 'dispatcher' },
  },
  { kind: 'checkIn', args: { actor: 'technician', mode: 'on_site' } },
  { kind: 'logEntry', args: { actor: 'technician', kind: 'diagnosis', text: 'dead power supply' } },
  { kind: 'checkOut', args: { actor: 'technician' } },
  { kind: 'escalate', args: { actor: 'technician', reason: 'needs a network specialist' } },
  { kind: 'submitReport', args: { actor: 'technician', summary: 'power supply replaced', recommendations: [] } },
  { kind: 'clientAccept', args: { actor: 'client' } },
  { kind: 'clientReject', args: { actor: 'client', reason: 'still does not boot' } },
  { kind: 'surveyAnswer', args: { actor: 'client', rating: 5 } },
  { kind: 'cancel', args: { actor: 'support', reason: 'duplicate request' } },
];

/**
 * What each status accepts, written out by hand: one row per status (x: accepted), one column per
 * action, in the order of VALID.
 */
const TABLE = `
                       tri ans pri asg cin log out esc rep acc rej srv can
  new                   .   .   .   .   .   .   .   .   .   .   .   .   .
  analysis              x   .   x   .   .   .   .   .   .   .   .   .   x
  awaiting_client_info  .   x   x   .   .   .   .   .   .   .   .   .   x
  specialist_review     x   .   x   .   .   .   .   .   .   .   .   .   x
  solution_proposed     .   .   x   .   .   .   .   .   .   x   x   .   x
  awaiting_planning     .   .   x   x   .   .   .   .   .   .   .   .   x
  scheduled             .   .   x   x   x   .   .   .   .   .   .   .   x
  in_progress           .   .   x   .   x   x   x   x   x   .   .   .   x
  awaiting_validation   .   .   .   .   .   .   .   .   .   x   x   .   x
  validated             .   .   .   .   .   .   .   .   .   .   .   .   .
  invoiced              .   .   .   .   .   .   .   .   .   .   .   .   .
  survey                .   .   .   .   .   .   .   .   .   .   .   x   .
  closed                .   .   .   .   .   .   .   .   .   .   .   .   .
  cancelled             .   .   .   .   .   .   .   .   .   .   .   .   .
`;
const ROWS = new Map(
  TABLE.trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [status, ...marks] = line.trim().split(/\s+/);
      return [status as RequestStatus, marks];
    }),
);

const ASSIGNMENT = {
  assignmentId: 'a-1',
  technicianId: 't-1',
  technicianName: 'Julien Moreau',
  start: '2026-12-01T09:00:00Z',
  end: '2026-12-01T10:00:00Z',
  source: 'dispatcher' as const,
};

/** A situation in `status` where the action's own checks pass: an assigned technician, checked in when the action needs it. */
function fitting(status: RequestStatus, kind: CommandKind, changes: Partial<Situation['state']> = {}): Situation {
  const checkedIn = kind === 'logEntry' || kind === 'checkOut';
  return {
    state: { ticketNumber: 'T-1', status, priority: 'P3', openVisitId: checkedIn ? 'v-1' : null, assignment: ASSIGNMENT, ...changes },
    acknowledged: true,
    busyWith: null,
  };
}

const command = (kind: CommandKind): CommandOf => VALID.find((c) => c.kind === kind)!;

describe('the transition policy: what each status accepts', () => {
  const cases = REQUEST_STATUSES.flatMap((status) =>
    VALID.map((c, column) => ({ status, kind: c.kind, accepted: ROWS.get(status)?.[column] === 'x' })),
  );

  it('has a row for every status, with a mark for every action', () => {
    expect([...ROWS.keys()].sort()).toEqual([...REQUEST_STATUSES].sort());
    for (const [status, marks] of ROWS) expect(marks, status).toHaveLength(VALID.length);
  });

  it.each(cases)('$status × $kind → accepted: $accepted', ({ status, kind, accepted }) => {
    const refusal = validate(fitting(status, kind), command(kind));
    if (accepted) expect(refusal).toBeNull();
    else expect(refusal).toEqual({ type: 'InvalidTransition', message: `${kind} is not possible while the intervention is ${status}` });
  });
});

describe('the transition policy: checks before any status', () => {
  it('refuses every action while intake is being recorded', () => {
    const at = { ...fitting('analysis', 'triage'), acknowledged: false };
    expect(validate(at, command('triage'))).toEqual({ type: 'InvalidTransition', message: 'intervention T-1 is still being registered' });
  });

  it('refuses a second action while one is being processed, naming it', () => {
    const at = { ...fitting('analysis', 'cancel'), busyWith: 'triage' as const };
    expect(validate(at, command('cancel'))?.message).toBe('another action (triage) is being processed on T-1');
  });
});

describe("the transition policy: each action's own checks", () => {
  const refusedWith = (at: Situation, c: CommandOf) => validate(at, c)?.message ?? null;

  it('checks in only an assigned technician who is not checked in yet', () => {
    expect(refusedWith(fitting('scheduled', 'checkIn', { assignment: null }), command('checkIn'))).toBe('no technician is assigned');
    expect(refusedWith(fitting('in_progress', 'checkIn', { openVisitId: 'v-1' }), command('checkIn'))).toBe(
      'the technician is already checked in',
    );
  });

  it('logs and checks out only after a check-in', () => {
    expect(refusedWith(fitting('in_progress', 'logEntry', { openVisitId: null }), command('logEntry'))).toBe(
      'logEntry needs a check-in first',
    );
    expect(refusedWith(fitting('in_progress', 'checkOut', { openVisitId: null }), command('checkOut'))).toBe(
      'checkOut needs a check-in first',
    );
  });

  it('takes the report only once the technician has checked out', () => {
    expect(refusedWith(fitting('in_progress', 'submitReport', { openVisitId: 'v-1' }), command('submitReport'))).toBe(
      'check out before submitting the report',
    );
  });

  it('refuses a priority change to the current priority', () => {
    const same: CommandOf = { kind: 'changePriority', args: { actor: 'support', priority: 'P3', reason: 'no change' } };
    expect(refusedWith(fitting('analysis', 'changePriority'), same)).toBe('priority is already P3');
  });

  it('refuses a slot that does not end after it starts', () => {
    const slot = (start: string, end: string): CommandOf => ({
      kind: 'assign',
      args: { actor: 'dispatcher', technicianId: 't-1', start, end, source: 'dispatcher' },
    });
    expect(refusedWith(fitting('awaiting_planning', 'assign'), slot('2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z'))).toBe(
      'the slot must end after it starts',
    );
    expect(refusedWith(fitting('awaiting_planning', 'assign'), slot('2026-12-01T10:00:00Z', 'not a date'))).toBe(
      'the slot must end after it starts',
    );
  });

  it('takes a remote resolution of 1 to 480 whole minutes, or none given (older callers)', () => {
    const remote = (minutes?: number): CommandOf => ({
      kind: 'triage',
      args: { actor: 'support', decision: 'propose_remote', solution: 'reset the router', ...(minutes === undefined ? {} : { minutes }) },
    });
    for (const ok of [undefined, 1, 480]) expect(refusedWith(fitting('analysis', 'triage'), remote(ok)), String(ok)).toBeNull();
    for (const bad of [0, 481, 1.5]) {
      expect(refusedWith(fitting('analysis', 'triage'), remote(bad)), String(bad)).toBe('minutes must be an integer from 1 to 480');
    }
  });

  it('takes a survey rating of 1 to 5 stars, whole', () => {
    const rating = (r: number): CommandOf => ({ kind: 'surveyAnswer', args: { actor: 'client', rating: r } });
    for (const ok of [1, 5]) expect(refusedWith(fitting('survey', 'surveyAnswer'), rating(ok))).toBeNull();
    for (const bad of [0, 6, 2.5])
      expect(refusedWith(fitting('survey', 'surveyAnswer'), rating(bad))).toBe('rating must be an integer from 1 to 5');
  });
});

describe('the transition policy: who may do the work on site', () => {
  const byTechnician = (technicianId: string): CommandOf => ({
    kind: 'checkIn',
    args: { actor: 'technician', mode: 'on_site', actingTechnicianId: technicianId },
  });

  it('lets the assigned technician, and back-office accounts acting for them, work on site', () => {
    expect(validate(fitting('scheduled', 'checkIn'), byTechnician('t-1'))).toBeNull();
    expect(validate(fitting('scheduled', 'checkIn'), command('checkIn'))).toBeNull();
  });

  it("refuses another technician's account (NotAssigned, a 403)", () => {
    expect(validate(fitting('scheduled', 'checkIn'), byTechnician('t-2'))).toEqual({
      type: 'NotAssigned',
      message: 'T-1 is not assigned to this technician',
    });
  });

  it('answers what the state refuses first, the same for everyone (a 409)', () => {
    expect(validate(fitting('awaiting_planning', 'checkIn'), byTechnician('t-2'))?.type).toBe('InvalidTransition');
  });

  it('does not restrict actions that are not work on site', () => {
    const cancel: CommandOf = { kind: 'cancel', args: { actor: 'technician', reason: 'duplicate', actingTechnicianId: 't-2' } };
    expect(validate(fitting('scheduled', 'cancel'), cancel)).toBeNull();
  });
});

describe('the update of each action', () => {
  it('is named after its kind (the API sends it by that name)', () => {
    for (const [kind, update] of Object.entries(commandUpdates)) expect(update.name).toBe(kind);
  });
});
