/**
 * The PDF of a scheduled KPI report: the key figures as tables, and charts drawn with pdfkit's
 * vector graphics (axes, ticks, bars and lines, labelled), each followed by the table of its
 * numbers. Set in DejaVu Sans Condensed (embedded), like the invoices, so accents and company
 * names print as written.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { REPORT_LABELS, titleOf, type KpiReportFigures, type ReportLabels, type ReportLanguage } from './kpi-report-document.js';

type Pdf = InstanceType<typeof PDFDocument>;

let parsedFonts: { regular: Font; bold: Font } | undefined;
function fonts() {
  if (!parsedFonts) {
    const require = createRequire(import.meta.url);
    const load = (name: string) => fontkit.create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`))) as Font;
    parsedFonts = { regular: load('DejaVuSansCondensed'), bold: load('DejaVuSansCondensed-Bold') };
  }
  return parsedFonts;
}

const LEFT = 40;
const WIDTH = 515;
// Below this, a new page: pdfkit itself adds one for text past the bottom margin (841 − 40).
const BOTTOM = 770;
const COLORS = { bar: '#2f6fb0', created: '#2f6fb0', resolved: '#c0562c', axis: '#333333', grid: '#d0d0d0' };

/** A round step for `ticks` ticks up to at least `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = Math.max(max, 1) / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Math.max(step, 1);
}

function fmt(value: number | null, language: ReportLanguage, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return REPORT_LABELS[language].notAvailable;
  return value.toLocaleString(language === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits });
}
const pct = (rate: number | null, language: ReportLanguage) =>
  rate === null ? REPORT_LABELS[language].notAvailable : `${fmt(rate * 100, language, 0)} %`;
const hours = (minutes: number | null, language: ReportLanguage) =>
  minutes === null ? REPORT_LABELS[language].notAvailable : `${fmt(minutes / 60, language)} h`;

function ensureRoom(pdf: Pdf, height: number) {
  if (pdf.y + height > BOTTOM) pdf.addPage();
}

function heading(pdf: Pdf, text: string) {
  ensureRoom(pdf, 40);
  pdf.moveDown(0.6).font('Bold').fontSize(12).fillColor('#000000').text(text, LEFT, pdf.y, { width: WIDTH });
  pdf.moveDown(0.3).font('Regular').fontSize(9);
}

/** A table: header row in bold, columns of the given widths (first left-aligned, others right-aligned). */
function table(pdf: Pdf, header: string[], rows: string[][], widths: number[]) {
  const rowHeight = 13;
  const drawRow = (cells: string[], bold: boolean) => {
    ensureRoom(pdf, rowHeight);
    const y = pdf.y;
    let x = LEFT;
    pdf
      .font(bold ? 'Bold' : 'Regular')
      .fontSize(8.5)
      .fillColor('#000000');
    cells.forEach((cell, i) => {
      const w = widths[i]!;
      pdf.text(cell, x + 2, y + 2, { width: w - 4, height: rowHeight - 2, align: i === 0 ? 'left' : 'right', ellipsis: true });
      x += w;
    });
    pdf
      .moveTo(LEFT, y + rowHeight)
      .lineTo(LEFT + widths.reduce((a, b) => a + b, 0), y + rowHeight)
      .lineWidth(0.3)
      .strokeColor(COLORS.grid)
      .stroke();
    pdf.x = LEFT;
    pdf.y = y + rowHeight;
  };
  if (header.some((h) => h !== '')) drawRow(header, true);
  for (const row of rows) drawRow(row, false);
  pdf.moveDown(0.5);
}

interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Axes with horizontal grid lines and labelled ticks on the value axis; returns the value → y mapping. */
function axes(pdf: Pdf, f: Frame, max: number, yLabel: string) {
  const step = niceStep(max, 4);
  const top = Math.ceil(Math.max(max, 1) / step) * step;
  const yOf = (v: number) => f.y + f.h - (v / top) * f.h;
  pdf.font('Regular').fontSize(7).fillColor(COLORS.axis);
  for (let v = 0; v <= top + 1e-9; v += step) {
    const y = yOf(v);
    pdf
      .moveTo(f.x, y)
      .lineTo(f.x + f.w, y)
      .lineWidth(0.3)
      .strokeColor(COLORS.grid)
      .stroke();
    pdf.text(String(Math.round(v * 100) / 100), f.x - 32, y - 3.5, { width: 28, align: 'right', lineBreak: false });
  }
  pdf
    .moveTo(f.x, f.y)
    .lineTo(f.x, f.y + f.h)
    .lineTo(f.x + f.w, f.y + f.h)
    .lineWidth(0.8)
    .strokeColor(COLORS.axis)
    .stroke();
  pdf.save().rotate(-90, { origin: [f.x - 36, f.y + f.h / 2] });
  pdf.text(yLabel, f.x - 36 - 60, f.y + f.h / 2 - 4, { width: 120, align: 'center', lineBreak: false });
  pdf.restore();
  return yOf;
}

/** Vertical bars, one per label; labels thinned out to fit under the axis. */
function barChart(pdf: Pdf, title: string, data: { label: string; value: number }[], yLabel: string) {
  ensureRoom(pdf, 190);
  pdf.font('Bold').fontSize(12).fillColor('#000000').text(title, LEFT, pdf.y, { width: WIDTH });
  const f: Frame = { x: LEFT + 45, y: pdf.y + 6, w: WIDTH - 55, h: 130 };
  const yOf = axes(pdf, f, Math.max(0, ...data.map((d) => d.value)), yLabel);
  const slot = f.w / Math.max(data.length, 1);
  const every = Math.ceil(data.length / Math.max(1, Math.floor(f.w / 45)));
  data.forEach((d, i) => {
    const x = f.x + i * slot + slot * 0.15;
    const y = yOf(d.value);
    if (d.value > 0)
      pdf
        .rect(x, y, slot * 0.7, f.y + f.h - y)
        .fillColor(COLORS.bar)
        .fill();
    pdf.font('Regular').fontSize(7).fillColor(COLORS.axis);
    if (d.value > 0 && slot >= 12) pdf.text(String(d.value), x - 4, y - 9, { width: slot * 0.7 + 8, align: 'center', lineBreak: false });
    if (i % every === 0) pdf.text(d.label, f.x + i * slot - 10, f.y + f.h + 3, { width: slot + 20, align: 'center', lineBreak: false });
  });
  pdf.x = LEFT;
  pdf.y = f.y + f.h + 18;
}

/** Horizontal bars (long category labels). */
function horizontalBarChart(pdf: Pdf, title: string, data: { label: string; value: number }[]) {
  const rowH = 16;
  ensureRoom(pdf, 30 + rowH * Math.max(data.length, 1));
  pdf.font('Bold').fontSize(12).fillColor('#000000').text(title, LEFT, pdf.y, { width: WIDTH });
  const top = pdf.y + 4;
  const labelW = 150;
  const barW = WIDTH - labelW - 40;
  const max = Math.max(1, ...data.map((d) => d.value));
  data.forEach((d, i) => {
    const y = top + i * rowH;
    pdf
      .font('Regular')
      .fontSize(8)
      .fillColor(COLORS.axis)
      .text(d.label, LEFT, y + 3, { width: labelW - 6, align: 'right', lineBreak: false });
    const w = (d.value / max) * barW;
    if (w > 0)
      pdf
        .rect(LEFT + labelW, y + 2, w, rowH - 4)
        .fillColor(COLORS.bar)
        .fill();
    pdf.fillColor(COLORS.axis).text(String(d.value), LEFT + labelW + w + 4, y + 3, { width: 36, lineBreak: false });
  });
  const bottom = top + rowH * Math.max(data.length, 1);
  pdf
    .moveTo(LEFT + labelW, top)
    .lineTo(LEFT + labelW, bottom)
    .lineWidth(0.8)
    .strokeColor(COLORS.axis)
    .stroke();
  pdf.x = LEFT;
  pdf.y = bottom + 8;
}

/** Lines over the same labels, with points, a legend and a value axis. */
function lineChart(pdf: Pdf, title: string, labels: string[], series: { name: string; color: string; values: number[] }[], yLabel: string) {
  ensureRoom(pdf, 200);
  pdf.font('Bold').fontSize(12).fillColor('#000000').text(title, LEFT, pdf.y, { width: WIDTH });
  const legendY = pdf.y + 2;
  series.forEach((s, i) => {
    const x = LEFT + 45 + i * 110;
    pdf
      .moveTo(x, legendY + 4)
      .lineTo(x + 18, legendY + 4)
      .lineWidth(2)
      .strokeColor(s.color)
      .stroke();
    pdf
      .font('Regular')
      .fontSize(8)
      .fillColor(COLORS.axis)
      .text(s.name, x + 22, legendY, { width: 85, lineBreak: false });
  });
  const f: Frame = { x: LEFT + 45, y: legendY + 16, w: WIDTH - 55, h: 130 };
  const yOf = axes(pdf, f, Math.max(0, ...series.flatMap((s) => s.values)), yLabel);
  const xOf = (i: number) => f.x + (labels.length <= 1 ? f.w / 2 : (i / (labels.length - 1)) * (f.w - 20) + 10);
  for (const s of series) {
    s.values.forEach((v, i) => {
      if (i === 0) pdf.moveTo(xOf(i), yOf(v));
      else pdf.lineTo(xOf(i), yOf(v));
    });
    if (s.values.length > 1) pdf.lineWidth(1.6).strokeColor(s.color).stroke();
    s.values.forEach((v, i) => pdf.circle(xOf(i), yOf(v), 2.2).fillColor(s.color).fill());
  }
  pdf.font('Regular').fontSize(7).fillColor(COLORS.axis);
  labels.forEach((label, i) => pdf.text(label, xOf(i) - 30, f.y + f.h + 3, { width: 60, align: 'center', lineBreak: false }));
  pdf.x = LEFT;
  pdf.y = f.y + f.h + 18;
}

const shortDay = (iso: string, language: ReportLanguage) => (language === 'fr' ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}` : iso.slice(5));

export function renderKpiReportPdf(figures: KpiReportFigures, language: ReportLanguage): Promise<Buffer> {
  const t: ReportLabels = REPORT_LABELS[language];
  const { title, scope, period } = titleOf(figures, language);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 40,
    font: null as unknown as string,
    info: { Title: `${title} — ${scope} — ${period}`, CreationDate: new Date(figures.period.to) },
  });
  pdf.registerFont('Regular', fonts().regular as unknown as Buffer);
  pdf.registerFont('Bold', fonts().bold as unknown as Buffer);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const s = figures.summary;
  pdf.font('Bold').fontSize(16).fillColor('#000000').text(title, LEFT, 40, { width: WIDTH });
  pdf.font('Regular').fontSize(11).text(`${scope} — ${period}`, { width: WIDTH });

  heading(pdf, t.volume);
  table(
    pdf,
    ['', ''],
    [
      [t.created, String(s.created)],
      [t.closed, String(s.closed)],
      [t.cancelled, String(s.cancelled)],
    ],
    [300, 120],
  );
  heading(pdf, t.times);
  table(
    pdf,
    ['', t.median, t.mean, t.p90],
    [
      [t.firstResponse, ...(['median', 'mean', 'p90'] as const).map((k) => hours(s.firstResponse.business[k], language))],
      [t.resolution, ...(['median', 'mean', 'p90'] as const).map((k) => hours(s.resolution.business[k], language))],
    ],
    [200, 80, 80, 80],
  );
  heading(pdf, t.quality);
  table(
    pdf,
    ['', ''],
    [
      [t.slaResponse, pct(s.slaResponse.rate, language)],
      [t.slaResolution, pct(s.slaResolution.rate, language)],
      [t.escalation, pct(s.escalation.rate, language)],
      [t.firstTimeFix, pct(s.firstTimeFix.rate, language)],
      [t.recurrence, pct(s.recurrence.rate, language)],
      [t.satisfactionMean, fmt(s.satisfaction.mean, language, 2)],
      [t.promoters, pct(s.satisfaction.promoters.rate, language)],
      [t.surveyResponse, pct(s.satisfaction.responseRate.rate, language)],
      [t.invoiced, `${fmt(figures.invoicedExclVatCents / 100, language, 2)} €`],
      [t.includedHours, fmt(figures.includedHoursUsed, language)],
    ],
    [300, 120],
  );

  pdf.moveDown(0.6);
  barChart(
    pdf,
    t.dailyChart,
    figures.daily.map((d) => ({ label: shortDay(d.day, language), value: d.created })),
    t.requests,
  );
  table(
    pdf,
    [t.day, t.created],
    figures.daily.map((d) => [d.day, String(d.created)]),
    [200, 120],
  );

  pdf.moveDown(0.6);
  const services = figures.byServiceType.map((d) => ({ label: t.serviceTypes[d.serviceType] ?? d.serviceType, value: d.created }));
  horizontalBarChart(pdf, t.serviceChart, services);
  table(
    pdf,
    [t.serviceType, t.created],
    services.map((d) => [d.label, String(d.value)]),
    [200, 120],
  );

  pdf.moveDown(0.6);
  lineChart(
    pdf,
    t.trendChart(figures.period.kind),
    figures.trend.map((b) => (figures.period.kind === 'weekly' ? shortDay(b.period, language) : b.period.slice(0, 7))),
    [
      { name: t.trendCreated, color: COLORS.created, values: figures.trend.map((b) => b.created) },
      { name: t.trendResolved, color: COLORS.resolved, values: figures.trend.map((b) => b.resolved) },
    ],
    t.requests,
  );
  table(
    pdf,
    [t.period, t.trendCreated, t.trendResolved, t.slaResolution],
    figures.trend.map((b) => [b.period, String(b.created), String(b.resolved), pct(b.slaResolutionRate, language)]),
    [150, 90, 90, 120],
  );

  heading(pdf, t.recurringTitle);
  if (figures.recurring.length === 0) pdf.font('Regular').fontSize(9).text(t.none, LEFT, pdf.y, { width: WIDTH });
  else
    table(
      pdf,
      [t.recurringTitle, t.serviceType, t.requests, t.recurrences],
      figures.recurring.map((r) => [r.label, t.serviceTypes[r.serviceType] ?? r.serviceType, String(r.requests), String(r.recurrences)]),
      [200, 130, 70, 80],
    );

  if (figures.scope.kind === 'management') {
    heading(pdf, t.technicians);
    table(
      pdf,
      [t.technician, t.visits, t.onSiteHours, t.resolved, t.firstTimeFix, t.rating],
      figures.technicians.map((r) => [
        r.name,
        String(r.visits),
        fmt(r.onSiteHours, language),
        String(r.resolved),
        pct(r.firstTimeFixRate, language),
        fmt(r.meanRating, language, 2),
      ]),
      [160, 60, 80, 60, 90, 60],
    );
  }
  pdf.end();
  return done;
}
