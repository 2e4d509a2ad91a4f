import { condition } from '@temporalio/workflow';
import { lifecycle } from '../intervention.activities.js';
import type { Priority, RequestStatus, SlaMilestone } from '../intervention.contract.js';
import { raisePriority, type Intervention } from '../intervention.state.js';

const RESOLVED: readonly RequestStatus[] = ['validated', 'invoiced', 'survey', 'closed', 'cancelled'];

/**
 * Runs beside the phases: a durable timer per SLA milestone (response/resolution at risk, then
 * breached). Deadlines are absolute instants in state; when they move (response given, pause,
 * resume) the timers are re-planned. At risk: support is alerted. Breached: the priority is
 * raised (or, at P1, the support level) and support is alerted. Each milestone fires once.
 */
export async function watchSla(i: Intervention): Promise<void> {
  for (;;) {
    if (settled(i)) {
      // A status taken while an action is carried out is final only once the action is: a
      // refused cancellation puts the phase back, and the watch goes on.
      if (i.carryingOut) await condition(() => !i.carryingOut);
      if (settled(i)) return;
    }
    const version = i.sla.version;
    const changed = () => i.sla.version !== version || settled(i);
    const milestone = i.sla.nextMilestone();
    if (!milestone) {
      await condition(changed);
      continue;
    }
    const wait = Date.parse(milestone.at) - Date.now();
    if (wait > 0 && (await condition(changed, wait))) continue;
    await escalate(i, milestone.name, milestone.due);
  }
}

const settled = (i: Intervention) => RESOLVED.includes(i.state.status);

async function escalate(i: Intervention, milestone: SlaMilestone, dueAt: string): Promise<void> {
  i.sla.reached(milestone);
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
