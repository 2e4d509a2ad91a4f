/** Namespace `technicians` (French, the reference): Technicians and home bases (pages/technicians.tsx). */
export const technicians = {
  title: 'Techniciens et bases',
  map: 'Bases des techniciens et sites clients en Île-de-France',
  legendTech: 'Technicien',
  legendSite: 'Site client',
} as const;
