/**
 * The SLA clock of one intervention: its deadlines (in the state the query shows), the instants
 * they become "at risk", and a version the SLA watch re-plans its timers on. Every change of the
 * deadlines goes through here: computed at intake, recomputed after a priority change, met at
 * the first response, paused while the client is asked for information, resumed on the answer.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { SlaComputation } from '../../activities/lifecycle/lifecycle.activities.js';
import { lifecycle } from './intervention.activities.js';
import type { InterventionPolicy, Priority, SlaMilestone, SlaState } from './intervention.contract.js';

/** What the clock is measured from: the contract (none: no SLA), the submission, the policy. */
export interface SlaTerms {
  contractId: string | null;
  submittedAt: string;
  policy: Pick<InterventionPolicy, 'slaRiskRatio' | 'slaTimeScale'>;
}

export interface SlaMilestoneDue {
  name: SlaMilestone;
  /** When the milestone is reached. */
  at: string;
  /** The deadline it is about. */
  due: string;
}

/** What `snapshot` keeps: enough to put the clock back as it was. */
export interface SlaSnapshot {
  state: SlaState;
  riskAt: SlaClock['riskAt'];
}

export class SlaClock {
  /** Bumped whenever a deadline, a risk instant or the pause changes: the SLA watch re-plans. */
  version = 0;
  riskAt: { response: string | null; resolution: string | null } = { response: null, resolution: null };

  /** `state` is the intervention state's `sla` (shown by the query), kept by reference. */
  constructor(
    readonly state: SlaState,
    private readonly terms: SlaTerms,
  ) {}

  /** At intake: the contract's deadlines for the priority, counted from submission. */
  async start(priority: Priority): Promise<SlaComputation | null> {
    const sla = await this.compute(priority);
    if (sla) {
      this.state.responseDueAt = sla.responseDueAt;
      this.state.resolutionDueAt = sla.resolutionDueAt;
      this.state.pausesWhenWaiting = sla.pausesWhenWaiting;
      this.planRisk(this.terms.submittedAt);
    }
    return sla;
  }

  /**
   * After support changes the priority, the contract's targets for the new priority apply,
   * counted from submission (not while the clock is paused: the pause owns the deadlines then).
   */
  async refresh(priority: Priority): Promise<SlaComputation | null> {
    if (!this.terms.contractId || this.state.pausedAt) return null;
    const sla = await this.compute(priority);
    if (!sla) return null;
    this.state.responseDueAt = sla.responseDueAt;
    this.state.resolutionDueAt = sla.resolutionDueAt;
    this.planRisk(this.terms.submittedAt);
    return sla;
  }

  /** The first decision of support answers the request: the response SLA is met (or not) here. */
  async respond(): Promise<void> {
    if (this.state.respondedAt) return;
    this.state.respondedAt = new Date().toISOString();
    this.version += 1;
    await lifecycle.updateRequest({ workflowId: workflowInfo().workflowId, firstResponseAt: this.state.respondedAt });
  }

  /** Waiting for the client: the clock stops, when the contract says so. */
  pause(): void {
    if (!this.state.pausesWhenWaiting) return;
    this.state.pausedAt = new Date().toISOString();
    this.version += 1;
  }

  /** The client answered: the deadlines move by the time the clock was stopped, and so do the risk instants. */
  async resume(): Promise<void> {
    const { state, terms } = this;
    if (!state.pausedAt || !terms.contractId || !state.resolutionDueAt) return;
    const resumedAt = new Date().toISOString();
    const next = await lifecycle.resumeSlaDeadlines({
      workflowId: workflowInfo().workflowId,
      contractId: terms.contractId,
      responseDueAt: state.responseDueAt,
      resolutionDueAt: state.resolutionDueAt,
      pausedAt: state.pausedAt,
      resumedAt,
      timeScale: terms.policy.slaTimeScale,
    });
    const pausedFor = Date.parse(resumedAt) - Date.parse(state.pausedAt);
    state.responseDueAt = next.responseDueAt;
    state.resolutionDueAt = next.resolutionDueAt;
    state.pausedAt = null;
    this.planRisk(new Date(Date.parse(terms.submittedAt) + pausedFor).toISOString());
  }

  /** The next milestone to watch for (none while paused, or when all are escalated or have no deadline). */
  nextMilestone(): SlaMilestoneDue | null {
    const { state } = this;
    if (state.pausedAt) return null;
    const candidates: Array<{ name: SlaMilestone; at: string | null; due: string | null }> = [];
    if (!state.respondedAt) {
      candidates.push({ name: 'response_at_risk', at: this.riskAt.response, due: state.responseDueAt });
      candidates.push({ name: 'response_breached', at: state.responseDueAt, due: state.responseDueAt });
    }
    candidates.push({ name: 'resolution_at_risk', at: this.riskAt.resolution, due: state.resolutionDueAt });
    candidates.push({ name: 'resolution_breached', at: state.resolutionDueAt, due: state.resolutionDueAt });
    const open = candidates
      .filter((c): c is SlaMilestoneDue => c.at !== null && c.due !== null && !state.escalated.includes(c.name))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return open[0] ?? null;
  }

  /** A milestone reached: escalated once, never again. */
  reached(milestone: SlaMilestone): void {
    this.state.escalated.push(milestone);
  }

  snapshot(): SlaSnapshot {
    return { state: { ...this.state, escalated: [...this.state.escalated] }, riskAt: { ...this.riskAt } };
  }

  /** Puts the clock back as it was at `snapshot`; the watch re-plans only if something moved. */
  restore(before: SlaSnapshot): void {
    const now = this.snapshot();
    if (JSON.stringify(now) === JSON.stringify(before)) return;
    Object.assign(this.state, before.state, { escalated: [...before.state.escalated] });
    this.riskAt = { ...before.riskAt };
    this.version += 1;
  }

  private compute(priority: Priority): Promise<SlaComputation | null> {
    return lifecycle.computeSlaDeadlines({
      workflowId: workflowInfo().workflowId,
      contractId: this.terms.contractId,
      priority,
      startAt: this.terms.submittedAt,
      timeScale: this.terms.policy.slaTimeScale,
    });
  }

  /** "At risk" instants: the policy's share of each SLA window, measured from `from`. */
  private planRisk(from: string): void {
    const start = Date.parse(from);
    const at = (due: string | null) =>
      due ? new Date(start + (Date.parse(due) - start) * this.terms.policy.slaRiskRatio).toISOString() : null;
    this.riskAt = { response: at(this.state.responseDueAt), resolution: at(this.state.resolutionDueAt) };
    this.version += 1;
  }
}
