/** The calendar day in Paris (YYYY-MM-DD): contracts in force, certifications that still count. */
export const parisToday = (now = new Date()): string => now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
