/**
 * The demo companies' equipment: a believable fleet per company (workstations, laptops,
 * printers, a server, network devices, phones, each with a serial number and a purchase date),
 * generated from a seed so every start writes the same. The demo history (demo-history.ts)
 * names one of these assets in most requests; with a handful of assets per company, the same
 * asset came back every few weeks and the 30-day recurrence looked like 90 %.
 *
 * Only the asset columns every schema version has are written (kind, brand, model, serial,
 * operating system, purchase date, warranty end, site), so that columns added later keep their
 * defaults.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import { companiesWithSites, insertFleetAssets, type FleetAsset } from '../db/repositories/history.repository.js';
import { rng } from './demo-history.js';

type Kind = FleetAsset['kind'];

/** Equipment per company (by name): how many workstations, laptops, printers, network devices and phones, and whether it has a server. */
const FLEET_SIZES: Record<
  string,
  { workstation: number; laptop: number; printer: number; network: number; phone: number; server: number }
> = {
  'Cabinet Lefèvre Avocats': { workstation: 22, laptop: 32, printer: 6, network: 6, phone: 20, server: 1 },
  'Boulangeries Moreau': { workstation: 10, laptop: 8, printer: 5, network: 8, phone: 10, server: 0 },
  'Clinique Vétérinaire des Lilas': { workstation: 20, laptop: 8, printer: 6, network: 5, phone: 10, server: 1 },
  'Imprimerie Durand & Fils': { workstation: 40, laptop: 15, printer: 10, network: 8, phone: 12, server: 1 },
  'Agence Immobilière Seine-Ouest': { workstation: 12, laptop: 25, printer: 5, network: 8, phone: 20, server: 0 },
  // Two computer rooms, the staff's workstations and the teachers' laptops.
  'Lycée privé Saint-Exupéry': { workstation: 90, laptop: 30, printer: 12, network: 15, phone: 0, server: 1 },
};
/** Any other company (a database seeded by an older version, a test): a small office. */
const DEFAULT_SIZE = { workstation: 10, laptop: 8, printer: 2, network: 3, phone: 4, server: 1 };

const MODELS: Record<Exclude<Kind, 'other'>, Array<[brand: string, model: string, os: string | null]>> = {
  workstation: [
    ['Dell', 'OptiPlex 7010', 'Windows 11 Pro'],
    ['HP', 'EliteDesk 800 G6', 'Windows 10 Pro'],
    ['Lenovo', 'ThinkCentre M70q', 'Windows 11 Pro'],
    ['Apple', 'iMac 24"', 'macOS 14'],
  ],
  laptop: [
    ['Lenovo', 'ThinkPad T14 Gen 3', 'Windows 11 Pro'],
    ['Dell', 'Latitude 5440', 'Windows 11 Pro'],
    ['HP', 'EliteBook 840 G8', 'Windows 10 Pro'],
    ['Apple', 'MacBook Air M2', 'macOS 14'],
  ],
  printer: [
    ['HP', 'LaserJet Pro M404dn', null],
    ['Brother', 'MFC-L8900CDW', null],
    ['Canon', 'imageRUNNER C3226i', null],
    ['Epson', 'WorkForce Pro WF-C5790', null],
  ],
  network: [
    ['Fortinet', 'FortiGate 40F', null],
    ['Ubiquiti', 'UniFi U6 Pro', null],
    ['Cisco', 'Catalyst 1000-24T', null],
    ['Netgear', 'GS724T', null],
  ],
  phone: [
    ['Apple', 'iPhone 13', 'iOS 17'],
    ['Samsung', 'Galaxy A54', 'Android 14'],
    ['Yealink', 'T54W', null],
  ],
  server: [
    ['Dell', 'PowerEdge T150', 'Windows Server 2022'],
    ['HP', 'ProLiant ML30 Gen10', 'Windows Server 2019'],
    ['Synology', 'RackStation RS822+', 'DSM 7.2'],
  ],
};

/** Years of life before replacement, so purchase dates look like a fleet renewed over time. */
const LIFETIME_YEARS: Record<Exclude<Kind, 'other'>, number> = { workstation: 6, laptop: 4, printer: 7, network: 7, phone: 3, server: 6 };
/** Purchase dates are counted back from this day (fixed, so the fleet does not change with the date of the start). */
const FLEET_DATE = Date.UTC(2026, 9, 1);

/** The fleet of one company with `siteCount` sites: most equipment at the first site, the rest spread. */
export function demoFleet(companyName: string, companyIndex: number, siteCount: number): Array<FleetAsset & { siteIndex: number }> {
  const r = rng(7919 * (companyIndex + 1));
  const size = FLEET_SIZES[companyName] ?? DEFAULT_SIZE;
  const out: Array<FleetAsset & { siteIndex: number }> = [];
  const prefix = companyName
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 3)
    .toUpperCase();
  for (const kind of ['server', 'network', 'workstation', 'laptop', 'printer', 'phone'] as const) {
    for (let n = 0; n < size[kind]; n++) {
      const [brand, model, os] = MODELS[kind][Math.floor(r() * MODELS[kind].length)]!;
      const purchased = new Date(FLEET_DATE - Math.floor(r() * LIFETIME_YEARS[kind] * 365) * 86_400_000);
      const warrantyEnds = new Date(purchased);
      warrantyEnds.setUTCFullYear(warrantyEnds.getUTCFullYear() + (kind === 'server' ? 5 : kind === 'phone' ? 2 : 3));
      // The server and half the network gear in the main site; the rest where people work.
      const siteIndex = siteCount <= 1 || kind === 'server' || (kind === 'network' && n % 2 === 0) ? 0 : Math.floor(r() * siteCount);
      out.push({
        kind,
        brand,
        model,
        operatingSystem: os,
        purchaseDate: purchased.toISOString().slice(0, 10),
        warrantyEndsOn: warrantyEnds.toISOString().slice(0, 10),
        serialNumber: `${prefix}${companyIndex}-${kind.slice(0, 2).toUpperCase()}${String(n + 1).padStart(3, '0')}-${Math.floor(r() * 1e6)
          .toString(36)
          .toUpperCase()
          .padStart(4, '0')}`,
        siteIndex,
      });
    }
  }
  return out;
}

/**
 * Writes each company's fleet once (a company whose fleet is there already is left alone).
 * Returns how many assets were written.
 */
export async function seedDemoFleet(db: Kysely<DB>): Promise<number> {
  const clients = await companiesWithSites(db);
  let written = 0;
  for (const [index, client] of clients.entries()) {
    const sites = client.siteIds.map((id) => ({ id }));
    if (sites.length === 0) continue;
    const fleet = demoFleet(client.companyName, index, sites.length).map(({ siteIndex, ...a }) => ({
      ...a,
      locationId: sites[siteIndex]!.id,
    }));
    written += await insertFleetAssets(db, client.id, fleet);
  }
  return written;
}
