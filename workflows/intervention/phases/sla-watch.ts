import { condition } from '@temporalio/workflow';
import { lifecycle } from '../intervention.activities.js';
import type { Priority, SlaMilestone } from '../intervention.contract.js';
import { raisePriority, type Intervention } from '../intervention.state.js';

const RESOLVED = ['validated', 'invoiced', 'survey', 'closed', 'cancelled'];

/**
 * Runs beside the phases: a durable timer per SLA milestone (response/resolution at risk, then
 * breached). Deadlines are absolute instants in state; when they move (response given, pause,
 * resume) the timers are re-planned. At risk: support is alerted. Breached: the priority is
 * raised (or, at P1, the support level) and support is alerted. Each milestone fires once.
 */
export async function watchSla(i: Intervention): Promise<void> {
  const settled = () => RESOLVED.includes(i.state.status);
  while (!settled()) {
    const version = i.slaVersion;
    const changed = () => i.slaVersion !== version || settled();
    const milestone = nextMilestone(i);
    if (!milestone) {
      await condition(changed);
      continue;
    }
    const wait = Date.parse(milestone.at) - Date.now();
    if (wait > 0 && (await condition(changed, wait))) continue;
    await escalate(i, milestone.name, milestone.due);
  }
}

function nextMilestone(i: Intervention): { name: SlaMilestone; at: string; due: string } | null {
  const { sla } = i.state;
  if (sla.pausedAt) return null;
  const candidates: Array<{ name: SlaMilestone; at: string | null; due: string | null }> = [];
  if (!sla.respondedAt) {
    candidates.push({ name: 'response_at_risk', at: i.slaRiskAt.response, due: sla.responseDueAt });
    candidates.push({ name: 'response_breached', at: sla.responseDueAt, due: sla.responseDueAt });
  }
  candidates.push({ name: 'resolution_at_risk', at: i.slaRiskAt.resolution, due: sla.resolutionDueAt });
  candidates.push({ name: 'resolution_breached', at: sla.resolutionDueAt, due: sla.resolutionDueAt });
  const open = candidates
    .filter((c): c is { name: SlaMilestone; at: string; due: string } => c.at !== null && c.due !== null && !sla.escalated.includes(c.name))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return open[0] ?? null;
}

async function escalate(i: Intervention, milestone: SlaMilestone, dueAt: string): Promise<void> {
  i.state.sla.escalated.push(milestone);
  let action = 'support alerted';
  let priorityRaisedTo: Priority | null = null;
  let supportLevelRaisedTo: number | null = null;
  if (milestone.endsWith('breached')) {
    if (i.state.priority !== 'P1') {
      const raised = raisePriority(i.state.priority);
      action = `priority raised to ${raised}`;
      priorityRaisedTo = raised;
      await i.setPriority(raised, `SLA ${milestone.replace('_', ' ')}`, 'system', milestone);
    } else {
      i.state.supportLevel = Math.min(3, i.state.supportLevel + 1);
      action = `support level raised to N${i.state.supportLevel}`;
      supportLevelRaisedTo = i.state.supportLevel;
      await lifecycle.updateRequest({ workflowId: i.workflowId, supportLevel: i.state.supportLevel });
    }
  }
  // The message stays for older readers; the details let the page say it in the reader's language.
  await i.record(
    `sla:${milestone}`,
    'system',
    action,
    { dueAt },
    { details: { type: 'sla', milestone, dueAt, priorityRaisedTo, supportLevelRaisedTo } },
  );
  await i.notifySupport('sla_alert', { milestone, dueAt, priority: i.state.priority, action });
}
