/**
 * A dashboard panel: a title, an optional chart (Chart.js on a canvas), the same rows as a table
 * (a disclosure, open by default where there is no chart) and a CSV download of those rows.
 *
 * Chart.js is registered piece by piece (bar and line charts, category and linear scales, legend,
 * tooltip, the filler of the forecast's interval band) so the bundle carries only these. It draws
 * on a canvas with no eval and no injected stylesheet, which the app's Content-Security-Policy
 * (helmet's default: `script-src 'self'`) allows; the canvas is an image to assistive technology,
 * labelled by the panel's title, and the table beside it gives the numbers.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Lang, T } from '../../i18n.js';
import { display, downloadCsv, toCsv, type Column } from './kpi-table.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler, Legend, Tooltip);

/** Colours with at least 3:1 contrast on white (non-text contrast), told apart by dash too. */
export const PALETTE = ['#1d4ed8', '#b45309', '#15803d', '#7c3aed', '#b91c1c', '#0f766e'] as const;

export interface ChartSeries {
  /** Index of the column drawn (its values must be numbers or null). */
  column: number;
  type?: 'bar' | 'line';
  color?: string;
  dashed?: boolean;
  /** Fill down to the previous series (the forecast's interval band). */
  fillToPrevious?: boolean;
  /** No line, no point: the lower edge of a band. */
  hidden?: boolean;
  /** On the right-hand axis (another unit, titled `y2Title`). */
  right?: boolean;
}

export interface ChartSpec {
  type: 'bar' | 'line';
  /** Which columns are drawn; the first column gives the labels of the x axis. */
  series: ChartSeries[];
  /** The y axis's title (unit). */
  yTitle?: string;
  stacked?: boolean;
  /** Bars along the y axis (long category names, few categories). */
  horizontal?: boolean;
  /** Counts: whole-number ticks only. */
  integer?: boolean;
  /** The right-hand axis's title, for the series drawn against it. */
  y2Title?: string;
}

interface PanelProps<R> {
  /** Names the panel (`data-testid="panel-<id>"`) and its CSV file. */
  id: string;
  title: string;
  /** A sentence under the title (what is counted). */
  note?: string;
  t: T;
  lang: Lang;
  columns: Column<R>[];
  rows: R[];
  chart?: ChartSpec;
  /** The CSV file's name without extension, e.g. `kpis-volume-2025-09-01-2025-09-30`. */
  fileName: string;
  /** The table's caption when it stands alone (no chart). */
  empty?: string;
  wide?: boolean;
}

function KpiChart<R>({
  spec,
  columns,
  rows,
  label,
  lang,
}: {
  spec: ChartSpec;
  columns: Column<R>[];
  rows: R[];
  label: string;
  lang: Lang;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const labels = rows.map((r) => display(lang, columns[0]!, r));
  const values = spec.series.map((s) =>
    rows.map((r) => {
      const v = columns[s.column]!.value(r);
      return typeof v === 'number' ? v : null;
    }),
  );
  const headers = spec.series.map((s) => columns[s.column]!.header);
  // Drawn again only when what it shows changes (the rows and columns are new objects at each render).
  const signature = JSON.stringify([labels, values, headers, spec, lang]);
  useEffect(() => {
    if (!canvas.current) return;
    const datasets = spec.series.map((s, i): ChartDataset<'bar' | 'line', (number | null)[]> => {
      const color = s.color ?? PALETTE[i % PALETTE.length]!;
      const data = values[i]!;
      const label = headers[i]!;
      const type = s.type ?? spec.type;
      if (type === 'bar') return { type: 'bar', label, data, backgroundColor: color, borderColor: color };
      return {
        type: 'line',
        label,
        data,
        borderColor: s.hidden ? 'transparent' : color,
        backgroundColor: s.fillToPrevious ? `${color}33` : color,
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: s.hidden ? 0 : 3,
        fill: s.fillToPrevious ? '-1' : false,
        spanGaps: true,
        ...(s.right ? { yAxisID: 'y2' } : {}),
      };
    });
    const chart = new Chart(canvas.current, {
      type: spec.type,
      data: { labels, datasets },
      options: {
        locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
        responsive: true,
        maintainAspectRatio: false,
        // Figures, not a show: drawn at once (and nothing moves for people who prefer less motion).
        animation: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 14, filter: (item) => !spec.series[item.datasetIndex ?? 0]?.hidden } },
        },
        indexAxis: spec.horizontal ? 'y' : 'x',
        scales: {
          [spec.horizontal ? 'y' : 'x']: { stacked: spec.stacked ?? false, ticks: { autoSkip: !spec.horizontal } },
          [spec.horizontal ? 'x' : 'y']: {
            stacked: spec.stacked ?? false,
            beginAtZero: true,
            ticks: spec.integer ? { precision: 0 } : {},
            title: spec.yTitle ? { display: true, text: spec.yTitle } : { display: false },
          },
          ...(spec.y2Title
            ? {
                y2: {
                  position: 'right',
                  beginAtZero: true,
                  grid: { drawOnChartArea: false },
                  title: { display: true, text: spec.y2Title },
                },
              }
            : {}),
        },
      },
    });
    return () => chart.destroy();
  }, [signature]);
  return (
    <div class="kpi-chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

export function KpiPanel<R>({ id, title, note, t, lang, columns, rows, chart, fileName, empty, wide }: PanelProps<R>) {
  const headingId = `panel-${id}-title`;
  const table = (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('kpis:table.label', { title })}>
      <table data-testid={`table-${id}`}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" class={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c, j) =>
                j === 0 ? (
                  <th key={c.header} scope="row">
                    {display(lang, c, r)}
                  </th>
                ) : (
                  <td key={c.header} class={c.numeric ? 'num' : undefined}>
                    {display(lang, c, r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section class={`panel kpi-panel${wide ? ' wide' : ''}`} aria-labelledby={headingId} data-testid={`panel-${id}`}>
      <div class="kpi-panel-head">
        <h2 id={headingId}>{title}</h2>
        <button
          type="button"
          class="secondary"
          data-testid={`csv-${id}`}
          aria-label={t('kpis:csv.label', { title })}
          disabled={rows.length === 0}
          onClick={() => downloadCsv(`${fileName}.csv`, toCsv(lang, columns, rows))}
        >
          {t('kpis:csv.button')}
        </button>
      </div>
      {note && <p class="muted">{note}</p>}
      {rows.length === 0 ? (
        <p class="muted">{empty ?? t('kpis:empty')}</p>
      ) : chart ? (
        <>
          <KpiChart spec={chart} columns={columns} rows={rows} label={t('kpis:chart.label', { title })} lang={lang} />
          <details class="kpi-table-view" data-testid={`table-view-${id}`}>
            <summary>{t('kpis:table.show')}</summary>
            {table}
          </details>
        </>
      ) : (
        table
      )}
    </section>
  );
}
