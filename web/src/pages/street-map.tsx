import { useEffect, useRef, useState } from 'preact/hooks';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { IleDeFranceMap, type MapLine, type MapPoint } from './ile-de-france-map.js';

/**
 * The board's street map (Leaflet): each technician's route as a line in their colour, home bases
 * as squares, visits as numbered circles ringed in their priority's colour. Without tiles (config
 * MAP_TILE_URL=off) or when a tile fails to load (offline, tests, a provider down), the offline
 * drawing of Île-de-France takes its place, so the visits are still seen where they are.
 */
export function StreetMap({
  points,
  lines,
  tileUrl,
  attribution,
  title,
  offlineNote,
}: {
  points: MapPoint[];
  lines: MapLine[];
  tileUrl: string | null;
  attribution: string;
  title: string;
  offlineNote: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const offline = tileUrl === null || failed;
  // Redrawn when what is shown changes, not on every render of the board.
  const signature = JSON.stringify([points, lines]);

  useEffect(() => {
    if (offline || !box.current) return;
    const map = L.map(box.current, { scrollWheelZoom: false });
    L.tileLayer(tileUrl, { attribution, maxZoom: 19 })
      .on('tileerror', () => setFailed(true))
      .addTo(map);
    for (const line of lines) {
      L.polyline(line.points, { color: line.color, weight: 3, opacity: 0.85 })
        .bindTooltip(line.label ?? '')
        .addTo(map);
    }
    for (const p of points) {
      const marker =
        p.shape === 'square'
          ? L.marker([p.lat, p.lon], {
              icon: L.divIcon({ className: '', html: `<span style="display:block;width:12px;height:12px;background:${p.color}"></span>` }),
              title: p.label,
              alt: p.label,
            })
          : L.circleMarker([p.lat, p.lon], { radius: 8, color: p.ring ?? p.color, weight: 3, fillColor: p.color, fillOpacity: 0.9 });
      marker.bindTooltip(p.label).addTo(map);
    }
    const coords = points.map((p) => [p.lat, p.lon] as [number, number]);
    if (coords.length > 0) map.fitBounds(L.latLngBounds(coords), { padding: [20, 20], maxZoom: 15 });
    else map.setView([48.85, 2.35], 10);
    return () => {
      map.remove();
    };
  }, [offline, tileUrl, attribution, signature]);

  if (offline) {
    return (
      <div key="offline" data-testid="map-offline">
        <p class="muted" style="font-size:.85rem;margin:.2rem 0">
          {offlineNote}
        </p>
        <IleDeFranceMap points={points} lines={lines} title={title} />
      </div>
    );
  }
  return (
    <div
      key="street"
      ref={box}
      data-testid="street-map"
      role="region"
      aria-label={title}
      style="height:460px;width:100%;border-radius:4px"
    />
  );
}
