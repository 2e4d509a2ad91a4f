import type { technicians as fr } from '../fr/technicians.js';
import type { Messages } from '../messages.js';

/** Namespace `technicians` in English: exactly the French keys (a missing or extra key fails the type check). */
export const technicians: Messages<typeof fr> = {
  title: 'Technicians and home bases',
  map: 'Technicians’ home bases and client sites in Île-de-France',
  legendTech: 'Technician',
  legendSite: 'Client site',
};
