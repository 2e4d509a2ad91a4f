/**
 * A dependency-free SVG map of points in Île-de-France (equirectangular projection scaled by
 * cos(latitude), which is accurate to well under 1 % over the region). Works offline; a tile
 * map can replace it where the deployment has internet access.
 *
 * The view fits the points (with padding, the map's aspect ratio, and a minimum extent so a
 * single site is not a blow-up of one street), so a day in Paris fills the map instead of being a
 * cluster in the middle of the region. A scale bar gives distances in km.
 */
export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  label: string;
  color: string;
  shape?: 'circle' | 'square';
  /** Drawn inside the marker (a stop's rank in its route). */
  number?: number;
  /** Outline colour (e.g. the visit's priority). */
  ring?: string;
  /** Drawn with a halo (e.g. a visit an override just moved). */
  highlight?: boolean;
}

export interface MapLine {
  id: string;
  points: Array<[lat: number, lon: number]>;
  color: string;
  label?: string;
}

const REGION = { minLat: 48.55, maxLat: 49.1, minLon: 1.95, maxLon: 2.95 };
const COS = Math.cos((48.85 * Math.PI) / 180);
const KM_PER_DEGREE_LAT = 111.32;
/** Smallest extent shown (degrees of latitude, ≈ 4.5 km): one site is still seen with its streets' scale. */
const MIN_SPAN_LAT = 0.04;
const PADDING = 0.12;

interface View {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** The bounds to draw: the points' box, padded, at least MIN_SPAN_LAT, stretched to the map's aspect. */
export function fitView(coords: ReadonlyArray<readonly [number, number]>, aspect: number): View {
  if (coords.length === 0) return REGION;
  let minLat = Infinity,
    maxLat = -Infinity,
    minLon = Infinity,
    maxLon = -Infinity;
  for (const [lat, lon] of coords) {
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
  }
  const cLat = (minLat + maxLat) / 2;
  const cLon = (minLon + maxLon) / 2;
  // Work in "km-like" units: x = lon × cos(lat), y = lat.
  let spanY = Math.max((maxLat - minLat) * (1 + 2 * PADDING), MIN_SPAN_LAT);
  let spanX = Math.max((maxLon - minLon) * COS * (1 + 2 * PADDING), MIN_SPAN_LAT);
  if (spanX / spanY > aspect) spanY = spanX / aspect;
  else spanX = spanY * aspect;
  return { minLat: cLat - spanY / 2, maxLat: cLat + spanY / 2, minLon: cLon - spanX / COS / 2, maxLon: cLon + spanX / COS / 2 };
}

/** A round length (1, 2, 5 × 10^n km) close to a fifth of the map's width. */
function scaleLength(widthKm: number): number {
  const target = widthKm / 5;
  const power = 10 ** Math.floor(Math.log10(target));
  return [5, 2, 1].map((m) => m * power).find((km) => km <= target) ?? power;
}

export function IleDeFranceMap({
  points,
  lines = [],
  width = 800,
  height = 520,
  title,
  fit = true,
}: {
  points: MapPoint[];
  lines?: MapLine[];
  width?: number;
  height?: number;
  title: string;
  /** Fit the view to the points (default); false shows the whole region. */
  fit?: boolean;
}) {
  const coords: Array<readonly [number, number]> = [...points.map((p) => [p.lat, p.lon] as const), ...lines.flatMap((l) => l.points)];
  const view = fit
    ? fitView(coords, width / height)
    : fitView(
        [
          [REGION.minLat, REGION.minLon],
          [REGION.maxLat, REGION.maxLon],
        ],
        width / height,
      );
  const spanX = (view.maxLon - view.minLon) * COS;
  const spanY = view.maxLat - view.minLat;
  const x = (lon: number) => (((lon - view.minLon) * COS) / spanX) * width;
  const y = (lat: number) => ((view.maxLat - lat) / spanY) * height;
  const widthKm = spanX * KM_PER_DEGREE_LAT;
  const barKm = scaleLength(widthKm);
  const barPx = (barKm / widthKm) * width;
  // Markers keep their size whatever the zoom; they are drawn in viewBox units.
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={title}
      data-testid="route-map"
      style="background:#eef3f8;border-radius:8px;max-width:980px;display:block;margin:auto"
    >
      <title>{title}</title>
      {/* Paris (périphérique, approximated by an ellipse) as a landmark */}
      <ellipse
        cx={x(2.347)}
        cy={y(48.859)}
        rx={(x(2.4699) - x(2.2241)) / 2}
        ry={(y(48.8156) - y(48.9022)) / 2}
        fill="#dde6f0"
        stroke="#b8c7d9"
      />
      <text x={x(2.347)} y={y(48.859) + 4} text-anchor="middle" font-size="13" fill="#9aabbf">
        Paris
      </text>
      {lines.map((l) => (
        <polyline
          key={l.id}
          points={l.points.map(([la, lo]) => `${x(lo).toFixed(1)},${y(la).toFixed(1)}`).join(' ')}
          fill="none"
          stroke={l.color}
          stroke-width="2.5"
          stroke-opacity="0.85"
          stroke-linejoin="round"
        >
          {l.label && <title>{l.label}</title>}
        </polyline>
      ))}
      {points.map((p) =>
        p.shape === 'square' ? (
          <rect key={p.id} x={x(p.lon) - 6} y={y(p.lat) - 6} width="12" height="12" fill={p.color} stroke="#fff" stroke-width="1.5">
            <title>{p.label}</title>
          </rect>
        ) : (
          <g key={p.id} data-stop={p.id}>
            {p.highlight && (
              <circle cx={x(p.lon)} cy={y(p.lat)} r="15" fill="none" stroke="#f59e0b" stroke-width="3" stroke-dasharray="4 2" />
            )}
            <circle
              cx={x(p.lon)}
              cy={y(p.lat)}
              r={p.number !== undefined ? 9 : 6}
              fill={p.color}
              stroke={p.ring ?? '#fff'}
              stroke-width={p.ring ? 3 : 1.5}
            >
              <title>{p.label}</title>
            </circle>
            {p.number !== undefined && (
              <text x={x(p.lon)} y={y(p.lat) + 3.5} text-anchor="middle" font-size="10" font-weight="700" fill="#fff" pointer-events="none">
                {p.number}
              </text>
            )}
          </g>
        ),
      )}
      <g transform={`translate(${width - barPx - 24}, ${height - 22})`} data-testid="map-scale">
        <rect x={-8} y={-16} width={barPx + 16} height={28} fill="#fff" opacity="0.8" rx="4" />
        <line x1={0} x2={barPx} y1={0} y2={0} stroke="#111827" stroke-width="2" />
        <line x1={0} x2={0} y1={-5} y2={5} stroke="#111827" stroke-width="2" />
        <line x1={barPx} x2={barPx} y1={-5} y2={5} stroke="#111827" stroke-width="2" />
        <text x={barPx / 2} y={-5} text-anchor="middle" font-size="11" fill="#111827">
          {barKm} km
        </text>
      </g>
    </svg>
  );
}
