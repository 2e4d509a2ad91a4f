// The worker's workflowsPath entry: workflow functions only.
export { interventionWorkflow } from './intervention/intervention.workflow.js';
export { dailyPlanWorkflow } from './dispatch/daily-plan.workflow.js';
export { planOverrideWorkflow } from './dispatch/plan-override.workflow.js';
export { retentionWorkflow } from './retention/retention.workflow.js';
export { creditNoteWorkflow } from './billing/credit-note.workflow.js';
export { kpiRefreshWorkflow } from './reports/kpi-refresh.workflow.js';
export { workaroundNoticeWorkflow } from './knowledge/workaround-notice.workflow.js';
export { kpiReportsWorkflow, kpiReportWorkflow } from './reports/kpi-report.workflow.js';
export { nightlyPlanWorkflow } from './dispatch/nightly-plan.workflow.js';
export { emergencyInsertionWorkflow } from './dispatch/emergency-insertion.workflow.js';
