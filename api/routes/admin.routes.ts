/**
 * The administration workspace's master data: client companies, their sites (opening hours,
 * closures) and contacts, contracts (SLA targets, billing terms), technicians (skills,
 * certifications, shifts, absences) and the parts catalogue. Admins manage everything; a client
 * company's admin manages its own sites and contacts (row-level security and the path guards
 * answer 404 for another company's objects). Every change runs in the request's one
 * transaction and is written to the audit log with the object before and after.
 */
import { listCatalogue } from '../../db/repositories/parts.repository.js';
import { listClientCompanies } from '../../db/repositories/client-admin.repository.js';
import { recordChange } from '../audit-trail.js';
import {
  changeClientCompany,
  changeContact,
  changeSite,
  companyDetail,
  createClientCompany,
  createContact,
  createSite,
  removeContact,
} from '../admin/clients.js';
import { changeContract, contractDetail, createContract } from '../admin/contracts.js';
import { changePart, createPart } from '../admin/parts.js';
import { changeServiceTypeRequirements, serviceTypeRequirements } from '../admin/service-types.js';
import { changeTechnician, createTechnician, technicianDetail } from '../admin/technicians.js';
import { route, type RouteSpec } from '../routing.js';
import {
  contactIdParamSchema,
  contractIdParamSchema,
  createClientSchema,
  createContactSchema,
  createContractSchema,
  createPartSchema,
  createSiteSchema,
  createTechnicianSchema,
  locationIdParamSchema,
  serviceTypeParamSchema,
  serviceTypeRequirementsSchema,
  skuParamSchema,
  technicianIdParamSchema,
  updateClientSchema,
  updateContactSchema,
  updateContractSchema,
  updatePartSchema,
  updateSiteSchema,
  updateTechnicianSchema,
} from '../schemas/admin.schema.js';
import {
  catalogueEntrySchema,
  catalogueSchema,
  companyDetailSchema,
  companyListSchema,
  companySchema,
  contactSchema,
  contractSchema,
  serviceTypeRequirementListSchema,
  serviceTypeRequirementSchema,
  siteSchema,
  technicianDetailSchema,
} from '../schemas/admin.response.js';
import { clientIdParamSchema } from '../schemas/auth.schema.js';

const ADMIN = ['admin'] as const;
/** Routes a client company's admin may use on their own company's objects. */
const COMPANY_ADMINS = ['admin', 'client_admin'] as const;

const INVALID = { 400: 'Invalid field (named in `fields`)', 409: 'A unique value already used (named)', 422: 'A reference to nothing' };

export function adminRoutes(): RouteSpec[] {
  return [
    // --- Client companies ---
    route({
      method: 'get',
      path: '/admin/clients',
      tag: 'admin',
      summary: 'Client companies with their identity and preferences',
      access: ADMIN,
      response: { 200: companyListSchema },
      async handler({ res, db }) {
        res.json({ items: await listClientCompanies(db) });
      },
    }),
    route({
      method: 'post',
      path: '/admin/clients',
      tag: 'admin',
      summary: 'Create a client company (SIREN/SIRET checked by their Luhn key, VAT number by its key)',
      access: ADMIN,
      body: createClientSchema,
      responses: { 201: 'Created', ...INVALID },
      response: { 201: companySchema },
      async handler({ res, db, body }) {
        res.status(201).json(await createClientCompany(db, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'get',
      path: '/clients/:clientId',
      tag: 'admin',
      summary: 'A client company with its sites (opening hours, closures), contacts and contracts (SLA targets, billing terms)',
      access: COMPANY_ADMINS,
      params: clientIdParamSchema,
      response: { 200: companyDetailSchema },
      audit: 'personal_data',
      async handler({ res, db, params }) {
        res.json(await companyDetail(db, params.clientId));
      },
    }),
    route({
      method: 'patch',
      path: '/clients/:clientId',
      tag: 'admin',
      summary: "Change a client company's identity, billing address or preferences",
      access: ADMIN,
      params: clientIdParamSchema,
      body: updateClientSchema,
      responses: { 200: 'Updated', ...INVALID },
      response: { 200: companySchema },
      async handler({ res, db, params, body }) {
        res.json(await changeClientCompany(db, params.clientId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'post',
      path: '/clients/:clientId/sites',
      tag: 'admin',
      summary: 'Add a site (address, coordinates, access, opening hours per weekday, closure dates)',
      access: COMPANY_ADMINS,
      params: clientIdParamSchema,
      body: createSiteSchema,
      responses: { 201: 'Created', ...INVALID },
      response: { 201: siteSchema },
      async handler({ res, db, params, body }) {
        res.status(201).json(await createSite(db, params.clientId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'patch',
      path: '/sites/:locationId',
      tag: 'admin',
      summary: 'Change a site; `openingHours` and `closures` replace the stored ones',
      access: COMPANY_ADMINS,
      params: locationIdParamSchema,
      body: updateSiteSchema,
      responses: { 200: 'Updated', ...INVALID },
      response: { 200: siteSchema },
      async handler({ res, db, params, body }) {
        res.json(await changeSite(db, params.locationId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'post',
      path: '/clients/:clientId/contacts',
      tag: 'admin',
      summary: 'Add a contact (one primary contact per company)',
      access: COMPANY_ADMINS,
      params: clientIdParamSchema,
      body: createContactSchema,
      responses: { 201: 'Created', ...INVALID },
      response: { 201: contactSchema },
      async handler({ res, db, params, body }) {
        res.status(201).json(await createContact(db, params.clientId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'patch',
      path: '/contacts/:contactId',
      tag: 'admin',
      summary: 'Change a contact',
      access: COMPANY_ADMINS,
      params: contactIdParamSchema,
      body: updateContactSchema,
      responses: { 200: 'Updated', ...INVALID },
      response: { 200: contactSchema },
      async handler({ res, db, params, body }) {
        res.json(await changeContact(db, params.contactId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'delete',
      path: '/contacts/:contactId',
      tag: 'admin',
      summary: 'Remove a contact (refused while a request names them)',
      access: COMPANY_ADMINS,
      params: contactIdParamSchema,
      responses: { 204: 'Removed', 409: 'Still named by a request' },
      async handler({ res, db, params }) {
        await removeContact(db, params.contactId, (c) => recordChange(res, c));
        res.status(204).end();
      },
    }),

    // --- Contracts ---
    route({
      method: 'post',
      path: '/clients/:clientId/contracts',
      tag: 'admin',
      summary: 'Create a contract: kind, coverage, SLA targets per priority, billing terms, retention, dates',
      access: ADMIN,
      params: clientIdParamSchema,
      body: createContractSchema,
      responses: { 201: 'Created', ...INVALID },
      response: { 201: contractSchema },
      async handler({ res, db, params, body }) {
        res.status(201).json(await createContract(db, params.clientId, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:contractId',
      tag: 'admin',
      summary: 'A contract with its SLA targets and billing terms',
      access: ['admin', 'client_admin', 'finance'],
      params: contractIdParamSchema,
      response: { 200: contractSchema },
      async handler({ res, db, params }) {
        res.json(await contractDetail(db, params.contractId));
      },
    }),
    route({
      method: 'patch',
      path: '/contracts/:contractId',
      tag: 'admin',
      summary: 'Change a contract; `slaTargets` replaces the targets. Issued invoices keep what they were issued with',
      access: ADMIN,
      params: contractIdParamSchema,
      body: updateContractSchema,
      responses: { 200: 'Updated', ...INVALID },
      response: { 200: contractSchema },
      async handler({ res, db, params, body }) {
        res.json(await changeContract(db, params.contractId, body, (c) => recordChange(res, c)));
      },
    }),

    // --- Service types: certification requirements ---
    route({
      method: 'get',
      path: '/service-types',
      tag: 'admin',
      summary: 'Every service type with the certifications its visits require (for every client)',
      access: ['admin', 'dispatcher', 'support_agent'],
      response: { 200: serviceTypeRequirementListSchema },
      async handler({ res, db }) {
        res.json({ items: await serviceTypeRequirements(db) });
      },
    }),
    route({
      method: 'put',
      path: '/service-types/:serviceType/requirements',
      tag: 'admin',
      summary:
        'Replace the certifications a service type requires; the daily plan only gives its visits to technicians holding them, valid that day',
      access: ADMIN,
      params: serviceTypeParamSchema,
      body: serviceTypeRequirementsSchema,
      responses: { 200: 'Updated', ...INVALID },
      response: { 200: serviceTypeRequirementSchema },
      async handler({ res, db, params, body }) {
        res.json(await changeServiceTypeRequirements(db, params.serviceType, body.requiredCertifications, (c) => recordChange(res, c)));
      },
    }),

    // --- Technicians ---
    route({
      method: 'post',
      path: '/technicians',
      tag: 'admin',
      summary: 'Create a technician with skills, certifications, weekly shifts and absences',
      access: ADMIN,
      body: createTechnicianSchema,
      responses: { 201: 'Created', ...INVALID },
      response: { 201: technicianDetailSchema },
      async handler({ res, db, body }) {
        res.status(201).json(await createTechnician(db, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'get',
      path: '/technicians/:technicianId',
      tag: 'admin',
      summary: 'A technician with skills, certifications (current or expired), shifts and absences',
      access: ['admin', 'dispatcher', 'technician'],
      audit: 'personal_data',
      params: technicianIdParamSchema,
      response: { 200: technicianDetailSchema },
      async handler({ res, db, params }) {
        res.json(await technicianDetail(db, params.technicianId));
      },
    }),
    route({
      method: 'patch',
      path: '/technicians/:technicianId',
      tag: 'admin',
      summary: 'Change a technician; each list sent (skills, certifications, shifts, absences) replaces the stored one',
      access: ADMIN,
      params: technicianIdParamSchema,
      body: updateTechnicianSchema,
      responses: { 200: 'Updated', ...INVALID },
      response: { 200: technicianDetailSchema },
      async handler({ res, db, params, body }) {
        res.json(await changeTechnician(db, params.technicianId, body, (c) => recordChange(res, c)));
      },
    }),

    // --- Parts catalogue ---
    route({
      method: 'get',
      path: '/parts/catalogue',
      tag: 'admin',
      summary: 'The whole parts catalogue, active or not, with prices and VAT rates',
      access: ADMIN,
      response: { 200: catalogueSchema },
      async handler({ res, db }) {
        res.json({ items: await listCatalogue(db) });
      },
    }),
    route({
      method: 'post',
      path: '/parts/catalogue',
      tag: 'admin',
      summary: 'Add a part to the catalogue',
      access: ADMIN,
      body: createPartSchema,
      responses: { 201: 'Created', ...INVALID },
      response: { 201: catalogueEntrySchema },
      async handler({ res, db, body }) {
        res.status(201).json(await createPart(db, body, (c) => recordChange(res, c)));
      },
    }),
    route({
      method: 'patch',
      path: '/parts/catalogue/:sku',
      tag: 'admin',
      summary: 'Change a part (label, price, VAT rate, active)',
      access: ADMIN,
      params: skuParamSchema,
      body: updatePartSchema,
      responses: { 200: 'Updated', 404: 'No such part', ...INVALID },
      response: { 200: catalogueEntrySchema },
      async handler({ res, db, params, body }) {
        res.json(await changePart(db, params.sku, body, (c) => recordChange(res, c)));
      },
    }),
  ];
}
