/**
 * Believable demo data for Île-de-France: client companies with sites, contacts, contracts
 * (SLA targets per priority) and assets; technicians with skills, certifications, shifts and
 * home bases; a parts catalogue. Inserted once: a second start finds the data and keeps it.
 * Open requests are then submitted through the real API so that each one is a real workflow.
 */
import type { Kysely } from 'kysely';
import { refreshKpiFacts } from '../activities/reports/kpi-refresh.js';
import { hasHistory, historyTargets, insertHistoricalRequests } from '../db/repositories/history.repository.js';
import { seedDemoFleet } from './demo-fleet.js';
import { generateHistory } from './demo-history.js';
import type { DB, Priority, ServiceType } from '../db/index.js';
import {
  hasReferenceData,
  insertReferenceData,
  type ReferenceData,
  type SeedAccount,
  type SeedClient,
  type SeedTechnician,
} from '../db/seed/reference-data.js';

/** Demo accounts, one per role: `<role>@demo.intervention.fr` / `demo-<role>-2026`. */
export const DEMO_ACCOUNTS = [
  { role: 'admin', name: 'Administratrice Démo' },
  { role: 'support_agent', name: 'Léa Support' },
  { role: 'dispatcher', name: 'Paul Dispatch' },
  { role: 'finance', name: 'Inès Finance' },
  { role: 'technician', name: 'Karim Benali' },
  { role: 'client_admin', name: 'Marc Benoît (Cabinet Lefèvre)' },
  { role: 'client_user', name: 'Hélène Lefèvre (Cabinet Lefèvre)' },
] as const;
export const demoEmail = (role: string) => `${role.replace('_', '-')}@demo.intervention.fr`;
/**
 * The demo accounts' passwords, documented in the README. Set through the repository, which does
 * not apply the API's password policy (api/auth/password-policy.ts): on purpose, as published
 * demo data (`demo-client-admin-2026` contains its email's local part, and all are public).
 */
export const demoPassword = (role: string) => `demo-${role.replace('_', '-')}-2026`;

type Sla = Record<Priority, [response: number, resolution: number]>;
const SLA_STANDARD: Sla = { P1: [120, 480], P2: [240, 1440], P3: [480, 2880], P4: [960, 4800] };
const SLA_PREMIUM: Sla = { P1: [60, 240], P2: [120, 480], P3: [240, 1440], P4: [480, 2880] };

interface DemoSite {
  name: string;
  address: string;
  postalCode: string;
  city: string;
  department: string;
  lat: number;
  lon: number;
  access?: string;
  onSite: [string, string];
}

interface DemoClient {
  company: string;
  siren: string;
  nic: string;
  vat: string;
  industry: string;
  contract: {
    kind: 'standard' | 'premium' | 'flat_rate' | 'time_and_materials';
    coverage: 'business_hours' | '24_7';
    rate: number;
    travel: number;
    included: number;
    sla: Sla;
  };
  contacts: Array<[first: string, last: string, title: string, email: string, phone: string, mode: 'email' | 'phone' | 'sms' | 'portal']>;
  sites: DemoSite[];
  assets: Array<
    [
      kind: 'workstation' | 'laptop' | 'server' | 'printer' | 'network' | 'phone',
      brand: string,
      model: string,
      os: string | null,
      purchased: string,
      siteIndex: number,
    ]
  >;
}

/** SIREN and SIRET below pass the Luhn check and VAT keys are computed from the SIREN, as real ones are. */
export const DEMO_CLIENTS: DemoClient[] = [
  {
    company: 'Cabinet Lefèvre Avocats',
    siren: '732829320',
    nic: '00074',
    vat: 'FR44732829320',
    industry: 'Juridique',
    contract: { kind: 'premium', coverage: '24_7', rate: 11000, travel: 0, included: 10, sla: SLA_PREMIUM },
    contacts: [
      ['Hélène', 'Lefèvre', 'Associée gérante', 'h.lefevre@lefevre-avocats.fr', '+33 1 42 65 10 20', 'phone'],
      ['Marc', 'Benoît', 'Responsable informatique', 'm.benoit@lefevre-avocats.fr', '+33 1 42 65 10 22', 'email'],
    ],
    sites: [
      {
        name: 'Cabinet — Paris 8e',
        address: '24 rue de Miromesnil',
        postalCode: '75008',
        city: 'Paris',
        department: '75',
        lat: 48.8727,
        lon: 2.3167,
        access: 'Digicode 4512B, 3e étage gauche',
        onSite: ['Sophie Arnaud', '+33 1 42 65 10 21'],
      },
    ],
    assets: [
      ['server', 'Dell', 'PowerEdge T350', 'Windows Server 2022', '2023-02-14', 0],
      ['network', 'Fortinet', 'FortiGate 60F', null, '2022-09-01', 0],
      ['laptop', 'Lenovo', 'ThinkPad X1 Carbon Gen 11', 'Windows 11 Pro', '2024-01-10', 0],
      ['printer', 'Canon', 'imageRUNNER ADVANCE DX C3826i', null, '2021-06-30', 0],
    ],
  },
  {
    company: 'Boulangeries Moreau',
    siren: '542107651',
    nic: '00037',
    vat: 'FR13542107651',
    industry: 'Commerce alimentaire',
    contract: { kind: 'standard', coverage: 'business_hours', rate: 8500, travel: 4500, included: 0, sla: SLA_STANDARD },
    contacts: [['Julien', 'Moreau', 'Gérant', 'julien.moreau@boulangeries-moreau.fr', '+33 1 39 50 12 34', 'sms']],
    sites: [
      {
        name: 'Atelier central — Versailles',
        address: '12 rue de la Paroisse',
        postalCode: '78000',
        city: 'Versailles',
        department: '78',
        lat: 48.8049,
        lon: 2.1301,
        access: 'Entrée livraisons rue Hoche, sonner',
        onSite: ['Nadia Moreau', '+33 1 39 50 12 35'],
      },
      {
        name: 'Boutique — Saint-Germain-en-Laye',
        address: '5 rue au Pain',
        postalCode: '78100',
        city: 'Saint-Germain-en-Laye',
        department: '78',
        lat: 48.8989,
        lon: 2.0938,
        onSite: ['Lucas Petit', '+33 1 34 51 22 10'],
      },
    ],
    assets: [
      ['workstation', 'HP', 'ProDesk 400 G9', 'Windows 11 Pro', '2023-05-02', 0],
      ['printer', 'Epson', 'TM-T88VII', null, '2022-11-15', 1],
      ['network', 'Ubiquiti', 'UniFi Dream Machine Pro', null, '2023-01-20', 0],
    ],
  },
  {
    company: 'Clinique Vétérinaire des Lilas',
    siren: '803945120',
    nic: '00019',
    vat: 'FR18803945120',
    industry: 'Santé animale',
    contract: { kind: 'premium', coverage: '24_7', rate: 9500, travel: 3900, included: 4, sla: SLA_PREMIUM },
    contacts: [['Camille', 'Garnier', 'Vétérinaire associée', 'c.garnier@veto-leslilas.fr', '+33 1 43 62 00 11', 'phone']],
    sites: [
      {
        name: 'Clinique — Les Lilas',
        address: '87 rue de Paris',
        postalCode: '93260',
        city: 'Les Lilas',
        department: '93',
        lat: 48.8797,
        lon: 2.4196,
        access: 'Accès par la salle d’attente, badge à demander à l’accueil',
        onSite: ['Accueil clinique', '+33 1 43 62 00 10'],
      },
    ],
    assets: [
      ['server', 'Synology', 'RackStation RS1221+', 'DSM 7.2', '2022-03-08', 0],
      ['workstation', 'Apple', 'iMac 24" M3', 'macOS 15', '2024-04-22', 0],
    ],
  },
  {
    company: 'Imprimerie Durand & Fils',
    siren: '351478201',
    nic: '00020',
    vat: 'FR92351478201',
    industry: 'Industrie graphique',
    contract: { kind: 'time_and_materials', coverage: 'business_hours', rate: 7800, travel: 5000, included: 0, sla: SLA_STANDARD },
    contacts: [
      ['Philippe', 'Durand', 'Directeur', 'p.durand@imprimerie-durand.fr', '+33 1 48 58 44 00', 'email'],
      ['Inès', 'Haddad', 'Cheffe de fabrication', 'i.haddad@imprimerie-durand.fr', '+33 1 48 58 44 05', 'portal'],
    ],
    sites: [
      {
        name: 'Atelier — Montreuil',
        address: '41 rue Étienne Marcel',
        postalCode: '93100',
        city: 'Montreuil',
        department: '93',
        lat: 48.8588,
        lon: 2.4412,
        access: 'Portail gris, quai n°2',
        onSite: ['Inès Haddad', '+33 1 48 58 44 05'],
      },
    ],
    assets: [
      ['workstation', 'Apple', 'Mac Studio M2 Max', 'macOS 14', '2023-08-30', 0],
      ['server', 'HPE', 'ProLiant DL20 Gen10 Plus', 'Ubuntu 22.04 LTS', '2021-10-12', 0],
      ['network', 'Cisco', 'Catalyst 1000-24T', null, '2020-05-18', 0],
    ],
  },
  {
    company: 'Agence Immobilière Seine-Ouest',
    siren: '489026518',
    nic: '00048',
    vat: 'FR59489026518',
    industry: 'Immobilier',
    contract: { kind: 'flat_rate', coverage: 'business_hours', rate: 0, travel: 0, included: 0, sla: SLA_STANDARD },
    contacts: [['Thomas', 'Roux', 'Directeur d’agence', 't.roux@seine-ouest-immo.fr', '+33 1 46 05 33 90', 'email']],
    sites: [
      {
        name: 'Agence — Boulogne-Billancourt',
        address: '102 boulevard Jean Jaurès',
        postalCode: '92100',
        city: 'Boulogne-Billancourt',
        department: '92',
        lat: 48.8356,
        lon: 2.2412,
        onSite: ['Thomas Roux', '+33 1 46 05 33 90'],
      },
      {
        name: 'Agence — Rueil-Malmaison',
        address: '7 place de l’Église',
        postalCode: '92500',
        city: 'Rueil-Malmaison',
        department: '92',
        lat: 48.8776,
        lon: 2.1808,
        onSite: ['Emma Lambert', '+33 1 47 08 12 12'],
      },
    ],
    assets: [
      ['laptop', 'Dell', 'Latitude 5440', 'Windows 11 Pro', '2024-02-05', 0],
      ['printer', 'Brother', 'MFC-L8900CDW', null, '2022-07-19', 1],
    ],
  },
  {
    company: 'Lycée privé Saint-Exupéry',
    siren: '775672272',
    nic: '00017',
    vat: 'FR20775672272',
    industry: 'Enseignement',
    contract: { kind: 'standard', coverage: 'business_hours', rate: 8000, travel: 3500, included: 8, sla: SLA_STANDARD },
    contacts: [['Nathalie', 'Fontaine', 'Intendante', 'intendance@lycee-stex.fr', '+33 1 43 77 20 00', 'email']],
    sites: [
      {
        name: 'Lycée — Créteil',
        address: '3 avenue du Général de Gaulle',
        postalCode: '94000',
        city: 'Créteil',
        department: '94',
        lat: 48.7904,
        lon: 2.4556,
        access: 'Loge du gardien, pièce d’identité demandée',
        onSite: ['M. Dupont (gardien)', '+33 1 43 77 20 01'],
      },
    ],
    assets: [
      ['server', 'Dell', 'PowerEdge R650xs', 'Windows Server 2019', '2021-08-23', 0],
      ['network', 'Aruba', 'Instant On 1930 48G', null, '2022-08-10', 0],
      ['workstation', 'Lenovo', 'ThinkCentre M70q', 'Windows 10 Pro', '2019-09-02', 0],
    ],
  },
];

const SKILLS: ServiceType[] = [
  'hardware_repair',
  'software_troubleshooting',
  'network_configuration',
  'data_recovery',
  'security',
  'hardware_upgrade',
];

/** [first, last, level, home city, lat, lon, skill levels in SKILLS order, certifications, rating] */
export const DEMO_TECHNICIANS: Array<[string, string, 'N1' | 'N2' | 'N3', string, number, number, number[], string[], number]> = [
  ['Karim', 'Benali', 'N3', 'Paris 11e', 48.8589, 2.3799, [4, 3, 5, 2, 4, 3], ['Cisco CCNP Enterprise', 'Fortinet NSE 4'], 4.8],
  ['Julie', 'Marchand', 'N2', 'Saint-Denis', 48.9362, 2.3574, [3, 4, 2, 1, 2, 4], ['CompTIA A+', 'Microsoft MD-102'], 4.6],
  ['Olivier', 'Chevalier', 'N3', 'Nanterre', 48.8924, 2.2071, [3, 5, 3, 4, 3, 2], ['Microsoft AZ-104', 'ITIL 4 Foundation'], 4.7],
  ['Sarah', 'Nguyen', 'N2', 'Créteil', 48.7904, 2.4556, [5, 3, 2, 3, 1, 5], ['CompTIA A+', 'Apple ACiT'], 4.5],
  ['Thomas', 'Girard', 'N1', 'Versailles', 48.8049, 2.1301, [3, 2, 1, 0, 0, 3], ['CompTIA A+'], 4.2],
  ['Amina', 'Diallo', 'N3', 'Vincennes', 48.8474, 2.4392, [2, 4, 4, 2, 5, 1], ['CISSP', 'ANSSI SecNumAcadémie'], 4.9],
  ['Lucas', 'Fabre', 'N2', 'Argenteuil', 48.9472, 2.2467, [4, 2, 3, 1, 1, 4], ['Cisco CCNA'], 4.3],
  ['Chloé', 'Perrin', 'N2', 'Évry-Courcouronnes', 48.6238, 2.4296, [2, 4, 1, 5, 2, 2], ['Veeam VMCE', 'Microsoft MD-102'], 4.6],
  ['Mehdi', 'Rahmani', 'N1', 'Bobigny', 48.9086, 2.4397, [3, 3, 2, 0, 1, 3], ['CompTIA A+'], 4.1],
  ['Élodie', 'Blanc', 'N3', 'Boulogne-Billancourt', 48.8356, 2.2412, [3, 5, 4, 3, 4, 2], ['Microsoft MS-102', 'ITIL 4 Foundation'], 4.7],
  ['Antoine', 'Lemoine', 'N2', 'Cergy', 49.0364, 2.0761, [4, 2, 4, 1, 2, 3], ['Cisco CCNA', 'CompTIA Network+'], 4.4],
  ['Fatou', 'Sow', 'N1', 'Ivry-sur-Seine', 48.8157, 2.3849, [2, 3, 1, 0, 1, 2], ['CompTIA A+'], 4.0],
  ['Nicolas', 'Robin', 'N2', 'Massy', 48.7309, 2.2713, [5, 2, 2, 3, 1, 5], ['Dell Client Foundations', 'HP ExpertOne'], 4.5],
  ['Laura', 'Mercier', 'N3', 'Rueil-Malmaison', 48.8776, 2.1808, [2, 4, 5, 2, 4, 1], ['Cisco CCNP Security', 'Fortinet NSE 7'], 4.8],
  ['Hugo', 'Faure', 'N1', 'Meaux', 48.9601, 2.8789, [3, 2, 2, 1, 0, 3], ['CompTIA A+'], 3.9],
];

export const DEMO_PARTS: Array<[sku: string, label: string, cents: number]> = [
  ['SSD-NVME-1TB', 'SSD NVMe 1 To', 8900],
  ['SSD-SATA-500', 'SSD SATA 500 Go', 5400],
  ['RAM-DDR4-16', 'Barrette mémoire DDR4 16 Go', 4900],
  ['RAM-DDR5-32', 'Kit mémoire DDR5 32 Go', 11900],
  ['PSU-500W', 'Alimentation ATX 500 W 80+ Gold', 7900],
  ['FAN-CPU', 'Ventilateur processeur', 2500],
  ['KBD-USB-FR', 'Clavier USB AZERTY', 2900],
  ['MON-24', 'Écran 24" IPS Full HD', 16900],
  ['SW-24P', 'Commutateur 24 ports gigabit administrable', 32900],
  ['AP-WIFI6', 'Point d’accès Wi-Fi 6', 18900],
  ['CBL-RJ45-3M', 'Câble RJ45 Cat.6 3 m', 600],
  ['UPS-1500', 'Onduleur 1500 VA', 39900],
  ['BAT-LAPTOP', 'Batterie pour ordinateur portable', 8900],
  ['HDD-NAS-8TB', 'Disque NAS 8 To', 22900],
];

function siret(siren: string, nic: string): string {
  return `${siren}${nic}`;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.');
}

/** The reference data as rows (db/seed/reference-data.ts writes them). */
export function referenceData(): ReferenceData {
  const clients: SeedClient[] = DEMO_CLIENTS.map((c, index) => {
    const head = c.sites[0]!;
    return {
      client: {
        companyName: c.company,
        legalName: c.company,
        siren: c.siren,
        siret: siret(c.siren, c.nic),
        vatNumber: c.vat,
        addressLine1: head.address,
        postalCode: head.postalCode,
        city: head.city,
        industry: c.industry,
        preferences: { language: 'fr', notificationChannels: ['email'], preferredSlots: ['morning'] },
      },
      contacts: c.contacts.map(([first, last, title, email, phone, mode], i) => ({
        firstName: first,
        lastName: last,
        jobTitle: title,
        email,
        phone,
        preferredContactMode: mode,
        isPrimary: i === 0,
      })),
      sites: c.sites.map((s) => ({
        name: s.name,
        addressLine1: s.address,
        postalCode: s.postalCode,
        city: s.city,
        departmentCode: s.department,
        latitude: s.lat,
        longitude: s.lon,
        accessInstructions: s.access ?? null,
        onSiteContactName: s.onSite[0],
        onSiteContactPhone: s.onSite[1],
        openingHours: { 'lun-ven': '08:30-18:30' },
      })),
      // The same hours as rows: the daily plan keeps every visit inside them.
      siteHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensAt: '08:30', closesAt: '18:30' })),
      contract: {
        reference: `CT-2026-${String(index + 1).padStart(4, '0')}`,
        name: `Contrat ${c.contract.kind === 'premium' ? 'Premium 24/7' : c.contract.kind === 'flat_rate' ? 'Forfait' : c.contract.kind === 'time_and_materials' ? 'Régie' : 'Standard'}`,
        kind: c.contract.kind,
        coverage: c.contract.coverage,
        startsOn: '2026-01-01',
        endsOn: '2027-12-31',
        hourlyRateCents: c.contract.rate,
        travelFeeCents: c.contract.travel,
        includedHoursPerMonth: c.contract.included,
      },
      slaTargets: (Object.entries(c.contract.sla) as Array<[Priority, [number, number]]>).map(([priority, [response, resolution]]) => ({
        priority,
        responseMinutes: response,
        resolutionMinutes: resolution,
      })),
      assets: c.assets.map(([kind, brand, model, os, purchased, siteIndex]) => ({
        siteIndex,
        kind,
        brand,
        model,
        operatingSystem: os,
        purchaseDate: purchased,
        serialNumber: `${brand.slice(0, 3).toUpperCase()}-${model
          .replace(/[^A-Z0-9]/gi, '')
          .slice(0, 6)
          .toUpperCase()}-${index}${siteIndex}`,
      })),
    };
  });

  const technicians: SeedTechnician[] = DEMO_TECHNICIANS.map(([first, last, level, city, lat, lon, levels, certifications, rating]) => ({
    technician: {
      firstName: first,
      lastName: last,
      email: `${slug(first)}.${slug(last)}@intervention.local`.replace(/\.+/g, '.'),
      phone: `+33 6 ${String(10 + first.length).padStart(2, '0')} ${String(20 + last.length).padStart(2, '0')} 45 67`,
      level,
      bio: `Technicien ${level}, basé à ${city}.`,
      languages: level === 'N3' ? ['fr', 'en'] : ['fr'],
      homeAddress: city,
      homeLatitude: lat,
      homeLongitude: lon,
      hourlyCostCents: level === 'N3' ? 4200 : level === 'N2' ? 3400 : 2800,
      maxOvertimeMinutes: 60,
      rating,
      performance: {
        interventionsCompleted: 120 + levels.reduce((a, b) => a + b, 0) * 7,
        firstTimeFixRate: 0.7 + rating / 50,
        meanSatisfaction: rating,
        onTimeRate: 0.85 + rating / 100,
      },
    },
    skills: SKILLS.map((skill, i) => ({ skill, level: levels[i] ?? 0 })).filter((s) => s.level > 0),
    certifications: certifications.map((name, i) => ({
      name,
      issuer: name.split(' ')[0]!,
      obtainedOn: `202${2 + (i % 3)}-0${3 + i}-15`,
      expiresOn: `202${7 + (i % 2)}-0${3 + i}-15`,
    })),
    shifts: [1, 2, 3, 4, 5].map((weekday) => ({
      weekday,
      startsAt: '08:30',
      endsAt: weekday === 5 ? '16:30' : '17:30',
      lunchEarliest: '12:00',
      lunchLatest: '14:00',
      lunchMinutes: 45,
    })),
  }));

  const accounts: SeedAccount[] = DEMO_ACCOUNTS.map((account) => ({
    email: demoEmail(account.role),
    displayName: account.name,
    role: account.role,
    password: demoPassword(account.role),
    ...(account.role === 'client_admin' || account.role === 'client_user' ? { clientCompanyName: 'Cabinet Lefèvre Avocats' } : {}),
    ...(account.role === 'technician' ? { technicianLastName: 'Benali' } : {}),
    // The scheduled KPI reports (management for the admin, the company's for its admin).
    ...(account.role === 'admin' || account.role === 'client_admin' ? { reports: { weekly: true, monthly: true } } : {}),
  }));

  const parts = DEMO_PARTS.map(([sku, label, cents]) => ({ sku, label, unitPriceCents: cents }));
  return { clients, technicians, accounts, parts };
}

/** Inserts the reference data when the database has none; returns false when it was already there. */
export async function seedReferenceData(db: Kysely<DB>): Promise<boolean> {
  if (await hasReferenceData(db)) return false;
  const data = referenceData();
  await db.transaction().execute((trx) => insertReferenceData(trx, data));
  return true;
}

/** Open requests for the demo, as a client would type them (submitted through the API). */
export function demoRequests(clients: Array<{ id: string; companyName: string; locations: Array<{ id: string }> }>) {
  const byName = (name: string) => clients.find((c) => c.companyName === name);
  const make = (
    company: string,
    serviceType: ServiceType,
    title: string,
    nature: string,
    impact: string,
    levels: ['low' | 'medium' | 'high' | 'critical', 'low' | 'medium' | 'high' | 'critical'],
    device: { brand: string; model: string; operatingSystem?: string; purchaseDate?: string },
    contact: { name: string; email: string; phone: string },
    tried?: string,
  ) => {
    const client = byName(company);
    if (!client || !client.locations[0]) return null;
    return {
      clientId: client.id,
      locationId: client.locations[0].id,
      serviceType,
      title,
      device,
      location: { department: 'Direction', onSiteContactName: contact.name, onSiteContactPhone: contact.phone },
      contact: { ...contact, preferredContactMode: 'email' as const },
      problem: {
        nature,
        businessImpact: impact,
        impactLevel: levels[0],
        urgency: levels[1],
        ...(tried ? { attemptedSolutions: tried } : {}),
      },
    };
  };
  return [
    make(
      'Cabinet Lefèvre Avocats',
      'network_configuration',
      'Plus d’accès Internet au cabinet',
      'Le pare-feu redémarre en boucle depuis 8 h, plus aucun accès Internet ni VPN.',
      'Les avocats ne peuvent plus accéder aux dossiers ni au RPVA avant une audience.',
      ['critical', 'critical'],
      { brand: 'Fortinet', model: 'FortiGate 60F' },
      { name: 'Marc Benoît', email: 'm.benoit@lefevre-avocats.fr', phone: '+33 1 42 65 10 22' },
      'Redémarrage électrique du boîtier.',
    ),
    make(
      'Boulangeries Moreau',
      'hardware_repair',
      'Caisse de la boutique bloquée',
      'L’imprimante de tickets ne répond plus, la caisse affiche une erreur USB.',
      'Les ventes sont notées à la main.',
      ['high', 'high'],
      { brand: 'Epson', model: 'TM-T88VII', purchaseDate: '2022-11-15' },
      { name: 'Julien Moreau', email: 'julien.moreau@boulangeries-moreau.fr', phone: '+33 1 39 50 12 34' },
      'Changement du câble USB.',
    ),
    make(
      'Clinique Vétérinaire des Lilas',
      'data_recovery',
      'Volume du NAS dégradé',
      'Le NAS signale un disque en panne et un volume dégradé.',
      'Risque de perte des dossiers patients et des radiographies.',
      ['high', 'medium'],
      { brand: 'Synology', model: 'RackStation RS1221+', operatingSystem: 'DSM 7.2' },
      { name: 'Camille Garnier', email: 'c.garnier@veto-leslilas.fr', phone: '+33 1 43 62 00 11' },
    ),
    make(
      'Imprimerie Durand & Fils',
      'software_troubleshooting',
      'Le RIP d’impression plante',
      'Le logiciel de RIP se ferme à l’ouverture des PDF de plus de 200 Mo.',
      'Une commande urgente doit partir demain.',
      ['medium', 'high'],
      { brand: 'Apple', model: 'Mac Studio M2 Max', operatingSystem: 'macOS 14' },
      { name: 'Inès Haddad', email: 'i.haddad@imprimerie-durand.fr', phone: '+33 1 48 58 44 05' },
      'Réinstallation du logiciel.',
    ),
    make(
      'Agence Immobilière Seine-Ouest',
      'hardware_upgrade',
      'Portables lents',
      'Trois portables de l’agence mettent plusieurs minutes à démarrer.',
      'Gêne au quotidien, pas de blocage.',
      ['low', 'low'],
      { brand: 'Dell', model: 'Latitude 5440', operatingSystem: 'Windows 11 Pro' },
      { name: 'Thomas Roux', email: 't.roux@seine-ouest-immo.fr', phone: '+33 1 46 05 33 90' },
    ),
    make(
      'Lycée privé Saint-Exupéry',
      'security',
      'Courriels d’hameçonnage reçus',
      'Plusieurs enseignants ont reçu un courriel demandant leurs identifiants ; l’un a cliqué.',
      'Compte potentiellement compromis.',
      ['high', 'critical'],
      { brand: 'Lenovo', model: 'ThinkCentre M70q', operatingSystem: 'Windows 10 Pro' },
      { name: 'Nathalie Fontaine', email: 'intendance@lycee-stex.fr', phone: '+33 1 43 77 20 00' },
      'Mot de passe du compte changé.',
    ),
  ].filter((r): r is NonNullable<typeof r> => r !== null);
}

/**
 * Twelve months of closed interventions (generated, seeded: see demo-history.ts) so the
 * dashboards and the forecast have a past on a fresh start; written once, then the indicator
 * facts are computed. Returns how many were written (0 when the history is already there).
 */
export async function seedDemoHistory(db: Kysely<DB>, now = new Date()): Promise<number> {
  if (await hasHistory(db)) return 0;
  // A fleet per company first, so the history names believable equipment (demo-fleet.ts).
  await seedDemoFleet(db);
  const targets = await historyTargets(db);
  const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const from = new Date(until.getTime() - 365 * 86_400_000);
  const requests = generateHistory(targets, { from, until, perWeek: 20, seed: 2026 });
  await insertHistoricalRequests(db, requests);
  await refreshKpiFacts(db, { now });
  return requests.length;
}
