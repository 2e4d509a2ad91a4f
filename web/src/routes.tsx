/**
 * The app's route table: one entry per page. Adding a page is one line here (path, component,
 * roles, nav label key); the router, the menu, the role checks and the 404 page all read this
 * list. A page component receives `PageProps` (translator, language, signed-in account, path params).
 *
 *   { path: '/invoices', component: InvoicesPage, roles: ['finance', 'admin'], nav: 'nav.invoices' },
 *
 * Entries without `nav` are reachable (deep links, in-page links) but not in the menu. The API
 * enforces access whatever the menu shows: `roles` only decides what a person is offered.
 */
import type { ComponentType } from 'preact';
import { lazy } from 'preact-iso';
import type { Me, NavKey, PageProps } from './session.js';
import { NewRequestPage } from './pages/new-request.js';
import { OutboxPage } from './pages/outbox.js';
import { PlanningPage } from './pages/planning.js';
import { RequestDetailPage } from './pages/request-detail.js';
import { RequestsPage } from './pages/requests.js';
import { StuckPage } from './pages/stuck.js';
import { TechniciansPage } from './pages/technicians.js';
import { MyCalendarPage } from './pages/calendar-feed.js';
import { ContractConsumptionPage } from './pages/finance/contract-consumption.js';
import { ExportsPage } from './pages/finance/exports.js';
import { InvoiceDetailPage } from './pages/finance/invoice-detail.js';
import { InvoicesPage } from './pages/finance/invoices.js';
import { KnowledgePage } from './pages/knowledge.js';
import { AssetPage, AssetsPage } from './pages/assets.js';
import { KpiReportsPage } from './pages/kpi-reports.js';
import { KnowledgeArticlePage, KnowledgeEditorPage } from './pages/knowledge-article.js';
import {
  AdminAuditPage,
  AdminCompaniesPage,
  AdminCompanyPage,
  AdminPartsPage,
  AdminTechniciansPage,
  AdminUsersPage,
  OwnCompanyPage,
} from './pages/admin/admin-pages.js';

/**
 * The dashboards bring Chart.js, the largest part of the app: they are loaded when one is opened
 * (a chunk of their own, scripts/build-web.ts), so every other page starts without them. A chunk
 * that cannot be loaded (a new version deployed since this page was loaded) reloads the page once.
 */
const dashboards = () =>
  import('./pages/kpis/dashboards.js').then(
    (m) => {
      sessionStorage.removeItem('chunk-reload');
      return m;
    },
    (error: unknown) => {
      if (sessionStorage.getItem('chunk-reload') === location.pathname) throw error;
      sessionStorage.setItem('chunk-reload', location.pathname);
      location.reload();
      return new Promise<never>(() => {});
    },
  );
const ManagementDashboardPage = lazy(() => dashboards().then((m) => m.ManagementDashboardPage));
const CompanyDashboardPage = lazy(() => dashboards().then((m) => m.CompanyDashboardPage));
const TechnicianDashboardPage = lazy(() => dashboards().then((m) => m.TechnicianDashboardPage));

export type Role = Me['role'];
export type { PageProps };

export interface AppRoute {
  /** preact-iso pattern: `/requests/:ticket`. */
  path: string;
  component: ComponentType<PageProps>;
  roles: readonly Role[];
  /** The menu label's translation key; no key, no menu entry. */
  nav?: NavKey;
}

const EVERYONE: readonly Role[] = ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'technician', 'finance', 'admin'];

export const ROUTES: readonly AppRoute[] = [
  { path: '/requests', component: RequestsPage, roles: EVERYONE, nav: 'nav.requests' },
  { path: '/requests/:ticket', component: RequestDetailPage, roles: EVERYONE },
  // The dashboards (pages/kpis/): management, a client company's own, a technician's own figures.
  {
    path: '/dashboard',
    component: ManagementDashboardPage,
    roles: ['support_agent', 'dispatcher', 'admin', 'finance'],
    nav: 'nav.dashboard',
  },
  { path: '/dashboard/company', component: CompanyDashboardPage, roles: ['client_admin'], nav: 'nav.dashboard' },
  { path: '/dashboard/me', component: TechnicianDashboardPage, roles: ['technician'], nav: 'nav.myFigures' },
  { path: '/my-calendar', component: MyCalendarPage, roles: ['technician'], nav: 'nav.myCalendar' },
  { path: '/new', component: NewRequestPage, roles: ['client_user', 'client_admin', 'support_agent', 'admin'], nav: 'nav.new' },
  { path: '/planning', component: PlanningPage, roles: ['dispatcher', 'admin'], nav: 'nav.planning' },
  { path: '/technicians', component: TechniciansPage, roles: ['support_agent', 'dispatcher', 'admin'], nav: 'nav.technicians' },
  { path: '/outbox', component: OutboxPage, roles: ['support_agent', 'admin'], nav: 'nav.outbox' },
  { path: '/stuck', component: StuckPage, roles: ['admin'], nav: 'nav.stuck' },
  // Scheduled KPI reports: an admin manages the management report, a client admin its company's.
  { path: '/reports/scheduled', component: KpiReportsPage, roles: ['admin', 'client_admin'], nav: 'nav.kpiReports' },
  // The finance workspace; a client company's admin sees its own invoices and their payment status.
  { path: '/finance/invoices', component: InvoicesPage, roles: ['finance', 'admin', 'client_admin'], nav: 'nav.invoices' },
  { path: '/finance/invoices/:id', component: InvoiceDetailPage, roles: ['finance', 'admin', 'client_admin'] },
  { path: '/finance/exports', component: ExportsPage, roles: ['finance', 'admin'], nav: 'nav.exports' },
  { path: '/finance/contracts', component: ContractConsumptionPage, roles: ['finance', 'admin'], nav: 'nav.contracts' },
  { path: '/knowledge', component: KnowledgePage, roles: EVERYONE, nav: 'nav.knowledge' },
  { path: '/knowledge/new', component: KnowledgeEditorPage, roles: ['support_agent', 'dispatcher', 'admin'] },
  { path: '/knowledge/:articleId/edit', component: KnowledgeEditorPage, roles: ['support_agent', 'dispatcher', 'admin'] },
  { path: '/knowledge/:articleId', component: KnowledgeArticlePage, roles: EVERYONE },
  // The asset registry: a company's users read theirs, its admin and staff manage them.
  {
    path: '/assets',
    component: AssetsPage,
    roles: ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'admin'],
    nav: 'nav.assets',
  },
  { path: '/assets/:assetId', component: AssetPage, roles: ['client_user', 'client_admin', 'support_agent', 'dispatcher', 'admin'] },
  // The administration workspace (pages/admin/): master data, accounts, audit log.
  { path: '/admin/clients', component: AdminCompaniesPage, roles: ['admin'], nav: 'nav.companies' },
  { path: '/admin/clients/:clientId', component: AdminCompanyPage, roles: ['admin', 'client_admin'] },
  { path: '/admin/company', component: OwnCompanyPage, roles: ['client_admin'], nav: 'nav.company' },
  { path: '/admin/technicians', component: AdminTechniciansPage, roles: ['admin'], nav: 'nav.technicianRecords' },
  { path: '/admin/parts', component: AdminPartsPage, roles: ['admin'], nav: 'nav.parts' },
  { path: '/admin/users', component: AdminUsersPage, roles: ['admin', 'client_admin'], nav: 'nav.users' },
  { path: '/admin/audit', component: AdminAuditPage, roles: ['admin'], nav: 'nav.audit' },
];

/** Where `/` leads once signed in. */
export const HOME_PATH = '/requests';

/** The routes a role may open. */
export function routesFor(role: Role | undefined): AppRoute[] {
  return role ? ROUTES.filter((r) => r.roles.includes(role)) : [];
}

/** Pages each role works with (the menu), derived from the route table. */
export const PAGES_BY_ROLE: Record<Role, string[]> = Object.fromEntries(
  EVERYONE.map((role) => [role, routesFor(role).flatMap((r) => (r.nav ? [r.path] : []))]),
) as Record<Role, string[]>;
