import { dynamicLabel } from '../i18n.js';
import type { PageProps } from '../session.js';
import { CalendarFeedDetails } from './calendar-feed.js';
import { IleDeFranceMap } from './ile-de-france-map.js';
import { client } from '../api.js';
import { useApi } from './use-api.js';

export function TechniciansPage({ t, lang, me }: PageProps) {
  // The calendar subscriptions are the technician's, a dispatcher's or an admin's to manage.
  const managesFeeds = me.role === 'dispatcher' || me.role === 'admin';
  // Assignments and visits change what the technicians' rows show: reloaded live.
  const technicians = useApi(() => client.GET('/api/technicians'), 'technicians', {
    concerns: (e) => e.kind === 'assignment' || e.kind === 'visit',
  });
  const clients = useApi(() => client.GET('/api/clients'), 'clients');
  const points = [
    ...(clients.data?.items ?? []).flatMap((c) =>
      c.locations
        .filter((l) => l.latitude !== null && l.longitude !== null)
        .map((l) => ({
          id: l.id,
          lat: l.latitude!,
          lon: l.longitude!,
          label: `${c.companyName} — ${l.name}`,
          color: '#b45309',
          shape: 'square' as const,
        })),
    ),
    ...(technicians.data?.items ?? []).map((tech) => ({
      id: tech.id,
      lat: tech.homeLatitude,
      lon: tech.homeLongitude,
      label: `${tech.firstName} ${tech.lastName} (${tech.level}) — ${tech.homeAddress}`,
      color: '#1d4ed8',
    })),
  ];
  return (
    <section>
      <h1>{t('technicians:title')}</h1>
      {technicians.error && <div class="error">{technicians.error}</div>}
      <div class="panel">
        <IleDeFranceMap points={points} title={t('technicians:map')} />
        <div class="legend">
          <span style="--c:#1d4ed8">{t('technicians:legendTech')}</span>
          <span style="--c:#b45309">{t('technicians:legendSite')}</span>
        </div>
      </div>
      {technicians.data && (
        <div class="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>{t('col.name')}</th>
                <th>{t('col.level')}</th>
                <th>{t('col.base')}</th>
                <th>{t('col.skills')}</th>
                <th>{t('col.rating')}</th>
                {managesFeeds && <th>{t('technicians:calendar')}</th>}
              </tr>
            </thead>
            <tbody>
              {technicians.data.items.map((tech) => (
                <tr key={tech.id}>
                  <td>
                    {tech.firstName} {tech.lastName}
                  </td>
                  <td>{tech.level}</td>
                  <td>{tech.homeAddress}</td>
                  <td>
                    {tech.skills
                      .slice()
                      .sort((a, b) => b.level - a.level)
                      .map((s) => `${dynamicLabel(t, `service.${s.skill}`, s.skill)} ${'★'.repeat(s.level)}`)
                      .join(' · ')}
                  </td>
                  <td>{tech.rating ?? '—'}</td>
                  {managesFeeds && (
                    <td>
                      <CalendarFeedDetails t={t} lang={lang} technicianId={tech.id} name={`${tech.firstName} ${tech.lastName}`} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
