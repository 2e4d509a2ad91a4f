/**
 * Every translation namespace, per language. French is the reference: each English namespace is
 * typed to have exactly its French keys, and i18next's types (see i18n.ts) make `t()` accept only
 * keys that exist, so a missing or misspelt key fails `tsc -p web`.
 *
 * Adding a namespace for a new page (e.g. `invoices`):
 *   1. `fr/invoices.ts`: `export const invoices = { title: 'Factures', … } as const;`
 *   2. `en/invoices.ts`: `export const invoices: Messages<typeof fr> = { title: 'Invoices', … };`
 *      (with `import type { invoices as fr } from '../fr/invoices.js';`)
 *   3. one line in each of `fr` and `en` below.
 *   4. In the page: `t('invoices:title')`; plurals `t('invoices:count', { count })` with keys
 *      `count_one` / `count_other`; interpolation `{{name}}` with `t('invoices:hello', { name })`.
 * Keys of `common` need no prefix (`t('nav.requests')`).
 */
import { admin as frAdmin } from './fr/admin.js';
import { assets as frAssets } from './fr/assets.js';
import { common as frCommon } from './fr/common.js';
import { finance as frFinance } from './fr/finance.js';
import { login as frLogin } from './fr/login.js';
import { newRequest as frNewRequest } from './fr/new-request.js';
import { outbox as frOutbox } from './fr/outbox.js';
import { planning as frPlanning } from './fr/planning.js';
import { requestDetail as frRequestDetail } from './fr/request-detail.js';
import { requests as frRequests } from './fr/requests.js';
import { stuck as frStuck } from './fr/stuck.js';
import { technicians as frTechnicians } from './fr/technicians.js';
import { knowledge as frKnowledge } from './fr/knowledge.js';
import { kpis as frKpis } from './fr/kpis.js';
import { kpiReports as frKpiReports } from './fr/kpi-reports.js';
import { notifications as frNotifications } from './fr/notifications.js';
import { admin as enAdmin } from './en/admin.js';
import { common as enCommon } from './en/common.js';
import { finance as enFinance } from './en/finance.js';
import { login as enLogin } from './en/login.js';
import { newRequest as enNewRequest } from './en/new-request.js';
import { outbox as enOutbox } from './en/outbox.js';
import { planning as enPlanning } from './en/planning.js';
import { requestDetail as enRequestDetail } from './en/request-detail.js';
import { requests as enRequests } from './en/requests.js';
import { stuck as enStuck } from './en/stuck.js';
import { technicians as enTechnicians } from './en/technicians.js';
import { knowledge as enKnowledge } from './en/knowledge.js';
import { kpis as enKpis } from './en/kpis.js';
import { kpiReports as enKpiReports } from './en/kpi-reports.js';
import { assets as enAssets } from './en/assets.js';
import { notifications as enNotifications } from './en/notifications.js';

export const fr = {
  common: frCommon,
  finance: frFinance,
  login: frLogin,
  newRequest: frNewRequest,
  outbox: frOutbox,
  planning: frPlanning,
  requestDetail: frRequestDetail,
  requests: frRequests,
  stuck: frStuck,
  technicians: frTechnicians,
  knowledge: frKnowledge,
  kpis: frKpis,
  kpiReports: frKpiReports,
  notifications: frNotifications,
  admin: frAdmin,
  assets: frAssets,
} as const;

export const en: { [Namespace in keyof typeof fr]: { readonly [Key in keyof (typeof fr)[Namespace]]: string } } = {
  common: enCommon,
  finance: enFinance,
  login: enLogin,
  newRequest: enNewRequest,
  outbox: enOutbox,
  planning: enPlanning,
  requestDetail: enRequestDetail,
  requests: enRequests,
  stuck: enStuck,
  technicians: enTechnicians,
  knowledge: enKnowledge,
  kpis: enKpis,
  kpiReports: enKpiReports,
  notifications: enNotifications,
  admin: enAdmin,
  assets: enAssets,
};

export type Namespace = keyof typeof fr;
export const NAMESPACES = Object.keys(fr) as Namespace[];
