/**
 * A dependency-free SVG map of points in Île-de-France (equirectangular projection scaled by
 * cos(latitude), which is accurate to well under 1 % over the region). Works offline; a tile
 * map can replace it where the deployment has internet access.
 */
export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  label: string;
  color: string;
  shape?: 'circle' | 'square';
}

export interface MapLine {
  id: string;
  points: Array<[lat: number, lon: number]>;
  color: string;
}

const BOUNDS = { minLat: 48.55, maxLat: 49.1, minLon: 1.95, maxLon: 2.95 };
const COS = Math.cos((48.85 * Math.PI) / 180);

export function IleDeFranceMap({ points, lines = [], width = 640, title }: { points: MapPoint[]; lines?: MapLine[]; width?: number; title: string }) {
  const spanX = (BOUNDS.maxLon - BOUNDS.minLon) * COS;
  const spanY = BOUNDS.maxLat - BOUNDS.minLat;
  const height = Math.round((width * spanY) / spanX);
  const x = (lon: number) => (((lon - BOUNDS.minLon) * COS) / spanX) * width;
  const y = (lat: number) => ((BOUNDS.maxLat - lat) / spanY) * height;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title} style="background:#eef3f8;border-radius:8px;max-width:820px;display:block;margin:auto">
      <title>{title}</title>
      {/* Paris (périphérique, approximated by an ellipse) as a landmark */}
      <ellipse cx={x(2.347)} cy={y(48.859)} rx={(x(2.4699) - x(2.2241)) / 2} ry={(y(48.8156) - y(48.9022)) / 2} fill="#dde6f0" stroke="#b8c7d9" />
      <text x={x(2.347)} y={y(48.859) + 4} text-anchor="middle" font-size="11" fill="#7b8da3">
        Paris
      </text>
      {lines.map((l) => (
        <polyline key={l.id} points={l.points.map(([la, lo]) => `${x(lo)},${y(la)}`).join(' ')} fill="none" stroke={l.color} stroke-width="2" stroke-opacity="0.8" />
      ))}
      {points.map((p) =>
        p.shape === 'square' ? (
          <rect key={p.id} x={x(p.lon) - 4} y={y(p.lat) - 4} width="8" height="8" fill={p.color}>
            <title>{p.label}</title>
          </rect>
        ) : (
          <circle key={p.id} cx={x(p.lon)} cy={y(p.lat)} r="5" fill={p.color} stroke="#fff" stroke-width="1.5">
            <title>{p.label}</title>
          </circle>
        ),
      )}
    </svg>
  );
}
