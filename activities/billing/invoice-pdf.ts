/**
 * The human-readable invoice (or credit note), French by default: seller and buyer identities,
 * number and dates, the lines with their coverage notes, VAT per rate, totals, and the legal
 * mentions (payment terms, late-payment penalties, the 40 € recovery indemnity).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from './invoice-document.js';
import { legalMentions } from './invoice-document.js';
import { formatMoney, formatRate } from './pricing.js';

const LABELS = {
  fr: {
    invoice: 'FACTURE',
    creditNote: 'AVOIR',
    number: 'N°',
    issueDate: "Date d'émission",
    dueDate: "Date d'échéance",
    deliveryDate: "Date de l'intervention",
    intervention: "Référence de l'intervention",
    contract: 'Contrat',
    corrects: 'Avoir sur la facture',
    of: 'du',
    reason: 'Motif',
    seller: 'Émetteur',
    buyer: 'Client',
    siren: 'SIREN',
    siret: 'SIRET',
    vat: 'N° TVA intracommunautaire',
    description: 'Désignation',
    quantity: 'Qté',
    unitPrice: 'PU HT',
    vatRate: 'TVA',
    amount: 'Montant HT',
    totalExcl: 'Total HT',
    vatAt: 'TVA à',
    basis: 'sur une base de',
    totalIncl: 'Total TTC',
    due: 'Net à payer',
    credited: 'Montant de l’avoir TTC',
    payment: 'Règlement',
    units: { HUR: 'h', KMT: 'km', C62: 'u' },
  },
  en: {
    invoice: 'INVOICE',
    creditNote: 'CREDIT NOTE',
    number: 'No.',
    issueDate: 'Issue date',
    dueDate: 'Due date',
    deliveryDate: 'Service date',
    intervention: 'Intervention reference',
    contract: 'Contract',
    corrects: 'Credit note for invoice',
    of: 'of',
    reason: 'Reason',
    seller: 'Seller',
    buyer: 'Customer',
    siren: 'SIREN',
    siret: 'SIRET',
    vat: 'VAT number',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    vatRate: 'VAT',
    amount: 'Net amount',
    totalExcl: 'Total excl. VAT',
    vatAt: 'VAT at',
    basis: 'on',
    totalIncl: 'Total incl. VAT',
    due: 'Amount due',
    credited: 'Credit note total incl. VAT',
    payment: 'Payment',
    units: { HUR: 'h', KMT: 'km', C62: 'pc' },
  },
} as const;

/**
 * PDF/A forbids fonts that are not embedded, and pdfkit cannot embed its standard 14 fonts: the
 * document is set in DejaVu Sans Condensed (npm `dejavu-fonts-ttf`, the upstream TrueType files;
 * Bitstream Vera licence, which allows embedding and redistribution). Condensed keeps the
 * Helvetica-like widths the columns were laid out for, and DejaVu covers Latin Extended, Greek
 * and Cyrillic, so a buyer's legal name prints as written. pdfkit embeds a subset of each.
 *
 * The fonts are parsed once per process with fontkit (pdfkit's own font engine) and handed to
 * every document: parsing three TrueType files per PDF made rendering ~8× slower, and invoices
 * are rendered inside the numbering lock.
 */
const FONT_NAMES = { regular: 'DejaVuSansCondensed', bold: 'DejaVuSansCondensed-Bold', oblique: 'DejaVuSansCondensed-Oblique' } as const;
type FontStyle = keyof typeof FONT_NAMES;
let parsedFonts: Record<FontStyle, Font> | undefined;
function fonts(): Record<FontStyle, Font> {
  if (!parsedFonts) {
    const require = createRequire(import.meta.url);
    const load = (name: string) => fontkit.create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`))) as Font;
    parsedFonts = { regular: load(FONT_NAMES.regular), bold: load(FONT_NAMES.bold), oblique: load(FONT_NAMES.oblique) };
  }
  return parsedFonts;
}
/** Registered names in each document. */
const FONTS = { regular: 'Regular', bold: 'Bold', oblique: 'Oblique' } as const;

/** Factur-X names the embedded e-invoice so, and declares it in the XMP metadata. */
export const FACTURX_FILENAME = 'factur-x.xml';

/**
 * The Factur-X XMP block (Factur-X 1.0, §"PDF/A-3 metadata"): the fx: properties, and the PDF/A
 * extension schema that declares them, since PDF/A allows only declared custom XMP properties.
 * A credit note is also DocumentType INVOICE (the type code 381 is in the XML).
 */
const FACTURX_NS = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
const facturXProperty = (name: string, description: string) => `
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;
const FACTURX_XMP = `
        <rdf:Description rdf:about="" xmlns:fx="${FACTURX_NS}">
          <fx:DocumentType>INVOICE</fx:DocumentType>
          <fx:DocumentFileName>${FACTURX_FILENAME}</fx:DocumentFileName>
          <fx:Version>1.0</fx:Version>
          <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
          <pdfaExtension:schemas>
            <rdf:Bag>
              <rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>${FACTURX_NS}</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                <pdfaSchema:property>
                  <rdf:Seq>${[
                    facturXProperty('DocumentFileName', 'Name of the embedded XML invoice file'),
                    facturXProperty('DocumentType', 'INVOICE'),
                    facturXProperty('Version', 'Version of the Factur-X XML schema'),
                    facturXProperty('ConformanceLevel', 'Factur-X profile of the embedded XML'),
                  ].join('')}
                  </rdf:Seq>
                </pdfaSchema:property>
              </rdf:li>
            </rdf:Bag>
          </pdfaExtension:schemas>
        </rdf:Description>`;

/** pdfkit writes the Info strings into the XMP without escaping them. */
const xmpSafe = (text: string) => !/[<>&]/.test(text);

function frenchDate(iso: string, language: 'fr' | 'en'): string {
  const [y, m, d] = iso.split('-');
  return language === 'fr' ? `${d}/${m}/${y}` : `${y}-${m}-${d}`;
}

/**
 * Renders the PDF; the bytes are stored with the invoice, so they are made reproducible. It is a
 * PDF/A-3b (pdfkit's PDF/A mode: XMP identification, sRGB output intent; fonts embedded). With
 * `embeddedXml` it is a Factur-X EN 16931 hybrid: the CII XML is attached as `factur-x.xml`,
 * referenced from the catalog /AF array with AFRelationship Alternative (the XML is an
 * equivalent form of the whole invoice; the spec keeps Data for the MINIMUM and BASIC WL
 * profiles, which are not), and the XMP carries the Factur-X properties.
 */
export function renderInvoicePdf(doc: InvoiceDocument, options: { embeddedXml?: Buffer } = {}): Promise<Buffer> {
  const t = LABELS[doc.language];
  const money = (cents: number) => formatMoney(cents, doc.language);
  const title = `${doc.typeCode === 381 ? t.creditNote : t.invoice} ${t.number} ${doc.number}`;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 40,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    // No standard font loaded by default: every font in the file is an embedded one.
    font: null as unknown as string,
    info: {
      Title: title,
      ...(xmpSafe(doc.seller.name) ? { Author: doc.seller.name } : {}),
      CreationDate: new Date(`${doc.issueDate}T00:00:00Z`),
    },
  });
  // pdfkit takes a fontkit font where its typings only list files and buffers.
  for (const style of Object.keys(FONTS) as FontStyle[]) pdf.registerFont(FONTS[style], fonts()[style] as unknown as Buffer);
  pdf.font(FONTS.regular);
  if (options.embeddedXml) (pdf as unknown as { appendXML(xml: string): void }).appendXML(FACTURX_XMP);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const left = 40;
  const width = pdf.page.width - 80;
  const mentions = legalMentions(doc);

  // Parties.
  pdf.font(FONTS.bold).fontSize(11).text(doc.seller.name, left, 40, { width: 250 });
  pdf
    .font(FONTS.regular)
    .fontSize(8.5)
    .text(
      [
        `${doc.seller.legalForm} au capital de ${doc.seller.capital}`,
        doc.seller.addressLine1,
        `${doc.seller.postalCode} ${doc.seller.city} (${doc.seller.country})`,
        `${t.siren} ${doc.seller.siren} — ${t.siret} ${doc.seller.siret}`,
        `${doc.seller.rcs} ${doc.seller.siren}`,
        `${t.vat} ${doc.seller.vatNumber}`,
        doc.seller.email,
      ].join('\n'),
      { width: 250 },
    );
  const buyerTop = 40;
  pdf.font(FONTS.bold).fontSize(9).text(t.buyer, 330, buyerTop, { width: 225 });
  pdf.font(FONTS.bold).fontSize(11).text(doc.buyer.name, { width: 225 });
  pdf
    .font(FONTS.regular)
    .fontSize(8.5)
    .text(
      [
        doc.buyer.addressLine1,
        `${doc.buyer.postalCode} ${doc.buyer.city} (${doc.buyer.country})`,
        doc.buyer.siren ? `${t.siren} ${doc.buyer.siren}` : null,
        doc.buyer.siret ? `${t.siret} ${doc.buyer.siret}` : null,
        doc.buyer.vatNumber ? `${t.vat} ${doc.buyer.vatNumber}` : null,
      ]
        .filter((l): l is string => l !== null)
        .join('\n'),
      { width: 225 },
    );

  // Title and references.
  pdf.font(FONTS.bold).fontSize(16).text(title, left, 175, { width });
  const refs = [
    `${t.issueDate} : ${frenchDate(doc.issueDate, doc.language)}`,
    `${t.dueDate} : ${frenchDate(doc.dueDate, doc.language)}`,
    doc.deliveryDate ? `${t.deliveryDate} : ${frenchDate(doc.deliveryDate, doc.language)}` : null,
    doc.ticketNumber ? `${t.intervention} : ${doc.ticketNumber}` : null,
    doc.contractReference ? `${t.contract} : ${doc.contractReference}` : null,
    doc.precedingInvoice
      ? `${t.corrects} ${doc.precedingInvoice.number} ${t.of} ${frenchDate(doc.precedingInvoice.issueDate, doc.language)}`
      : null,
    doc.reason ? `${t.reason} : ${doc.reason}` : null,
  ].filter((l): l is string => l !== null);
  pdf
    .font(FONTS.regular)
    .fontSize(9)
    .text(refs.join('\n'), left, pdf.y + 4, { width });

  // Lines.
  const cols = { description: left, quantity: 300, unitPrice: 345, vat: 420, amount: 465 };
  let y = pdf.y + 14;
  const rule = (at: number) =>
    pdf
      .moveTo(left, at)
      .lineTo(left + width, at)
      .lineWidth(0.5)
      .stroke();
  const headerRow = () => {
    pdf.font(FONTS.bold).fontSize(8.5);
    pdf.text(t.description, cols.description, y, { width: 255 });
    pdf.text(t.quantity, cols.quantity, y, { width: 40, align: 'right' });
    pdf.text(t.unitPrice, cols.unitPrice, y, { width: 70, align: 'right' });
    pdf.text(t.vatRate, cols.vat, y, { width: 40, align: 'right' });
    pdf.text(t.amount, cols.amount, y, { width: left + width - cols.amount, align: 'right' });
    y += 13;
    rule(y - 2);
  };
  headerRow();
  for (const line of doc.lines) {
    pdf.font(FONTS.regular).fontSize(8.5);
    const text = line.coverageNote ? `${line.description}\n${line.coverageNote}` : line.description;
    const height = pdf.heightOfString(text, { width: 255 });
    if (y + height > pdf.page.height - 200) {
      pdf.addPage();
      y = 40;
      headerRow();
      pdf.font(FONTS.regular).fontSize(8.5);
    }
    pdf.text(line.description, cols.description, y, { width: 255 });
    if (line.coverageNote) pdf.font(FONTS.oblique).text(line.coverageNote, { width: 255 }).font(FONTS.regular);
    const quantity = `${line.quantity.replace('.', doc.language === 'fr' ? ',' : '.')} ${t.units[line.unitCode]}`;
    pdf.text(quantity, cols.quantity, y, { width: 40, align: 'right' });
    const price =
      line.grossUnitPriceCents !== line.unitPriceCents
        ? `${money(line.unitPriceCents)}\n(${money(line.grossUnitPriceCents)})`
        : money(line.unitPriceCents);
    pdf.text(price, cols.unitPrice, y, { width: 70, align: 'right' });
    pdf.text(formatRate(line.vatRateBasisPoints), cols.vat, y, { width: 40, align: 'right' });
    pdf.text(money(line.netAmountCents), cols.amount, y, { width: left + width - cols.amount, align: 'right' });
    y += Math.max(height, 11) + 5;
  }
  rule(y);
  y += 8;

  // Totals.
  const totalRow = (label: string, value: string, bold = false) => {
    pdf.font(bold ? FONTS.bold : FONTS.regular).fontSize(9);
    pdf.text(label, 300, y, { width: 160 });
    pdf.text(value, 460, y, { width: left + width - 460, align: 'right' });
    y += 13;
  };
  totalRow(t.totalExcl, money(doc.totals.taxBasisTotalCents));
  for (const vat of doc.totals.vat) {
    totalRow(`${t.vatAt} ${formatRate(vat.vatRateBasisPoints)} ${t.basis} ${money(vat.basisCents)}`, money(vat.vatCents));
  }
  totalRow(t.totalIncl, money(doc.totals.grandTotalCents), true);
  totalRow(doc.typeCode === 381 ? t.credited : t.due, money(doc.totals.grandTotalCents), true);

  // Payment and legal mentions.
  y += 10;
  const payment =
    doc.typeCode === 380 ? [`${t.payment} : ${mentions.paymentTerms}`, `IBAN ${doc.seller.iban} — BIC ${doc.seller.bic}`] : [];
  pdf
    .font(FONTS.regular)
    .fontSize(8)
    .text([...payment, mentions.latePenalty, mentions.recoveryIndemnity, mentions.earlyPayment, mentions.legalInfo].join('\n'), left, y, {
      width,
    });
  if (options.embeddedXml) {
    const when = new Date(`${doc.issueDate}T00:00:00Z`);
    pdf.file(options.embeddedXml, {
      name: FACTURX_FILENAME,
      type: 'text/xml',
      description: 'Factur-X EN16931 (UN/CEFACT CII D16B)',
      creationDate: when,
      modifiedDate: when,
      // Supported by pdfkit, missing from its type definitions.
      ...({ relationship: 'Alternative' } as object),
    });
  }
  pdf.end();
  return done;
}
