/** The administration pages as the route table mounts them (PageProps in, the admin translator out). */
import type { PageProps } from '../../session.js';
import { adminTranslator } from './admin-i18n.js';
import { AuditPage } from './audit.js';
import { CompaniesPage, CompanyPage } from './companies.js';
import { PartsPage } from './parts.js';
import { TechniciansAdminPage } from './technicians-admin.js';
import { UsersPage } from './users.js';

export const AdminCompaniesPage = ({ t }: PageProps) => <CompaniesPage t={adminTranslator(t)} />;
export const AdminCompanyPage = ({ t, me, params }: PageProps) => (
  <CompanyPage t={adminTranslator(t)} clientId={params.clientId ?? ''} isAdmin={me.role === 'admin'} />
);
/** A client admin's own company. */
export const OwnCompanyPage = ({ t, me }: PageProps) => <CompanyPage t={adminTranslator(t)} clientId={me.clientId ?? ''} isAdmin={false} />;
export const AdminTechniciansPage = ({ t }: PageProps) => <TechniciansAdminPage t={adminTranslator(t)} />;
export const AdminPartsPage = ({ t }: PageProps) => <PartsPage t={adminTranslator(t)} />;
export const AdminUsersPage = ({ t, me }: PageProps) => <UsersPage t={adminTranslator(t)} me={me} />;
export const AdminAuditPage = ({ t, lang }: PageProps) => <AuditPage t={adminTranslator(t)} lang={lang} />;
