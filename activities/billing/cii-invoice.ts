/**
 * The structured e-invoice of the French 2026 reform: EN 16931 content in UN/CEFACT CII D16B
 * syntax, Factur-X profile EN16931 (guideline `urn:cen.eu:en16931:2017`). Element order follows
 * the D16B schema sequences; BT numbers in comments map each element to the norm.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { InvoiceDocument } from './invoice-document.js';
import { legalMentions } from './invoice-document.js';
import { amountString, decimalString } from './pricing.js';

const RSM = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';
const RAM = 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100';
const UDT = 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100';
const QDT = 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100';

/** ISO 6523 ICD codes used in France: 0002 SIREN, 0009 SIRET. */
const SIREN_SCHEME = '0002';
const SIRET_SCHEME = '0009';

const compactDate = (iso: string) => iso.replaceAll('-', '');

function ram(parent: XMLBuilder, name: string, text?: string, attributes?: Record<string, string>): XMLBuilder {
  const node = parent.ele(RAM, `ram:${name}`);
  if (attributes) for (const [key, value] of Object.entries(attributes)) node.att(key, value);
  if (text !== undefined) node.txt(text);
  return node;
}

function dateTime(parent: XMLBuilder, name: string, iso: string, type: 'udt' | 'qdt' = 'udt') {
  ram(parent, name)
    .ele(type === 'udt' ? UDT : QDT, `${type}:DateTimeString`)
    .att('format', '102')
    .txt(compactDate(iso));
}

const percent = (basisPoints: number) => decimalString(basisPoints, 2);

export function renderCiiXml(doc: InvoiceDocument): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(RSM, 'rsm:CrossIndustryInvoice');
  root.att('http://www.w3.org/2000/xmlns/', 'xmlns:ram', RAM);
  root.att('http://www.w3.org/2000/xmlns/', 'xmlns:udt', UDT);
  root.att('http://www.w3.org/2000/xmlns/', 'xmlns:qdt', QDT);

  const context = root.ele(RSM, 'rsm:ExchangedDocumentContext');
  ram(ram(context, 'GuidelineSpecifiedDocumentContextParameter'), 'ID', 'urn:cen.eu:en16931:2017');

  const header = root.ele(RSM, 'rsm:ExchangedDocument');
  ram(header, 'ID', doc.number); // BT-1
  ram(header, 'TypeCode', String(doc.typeCode)); // BT-3
  dateTime(header, 'IssueDateTime', doc.issueDate); // BT-2
  const mentions = legalMentions(doc);
  const notes: [string, string][] = [
    [mentions.legalInfo, 'REG'],
    [mentions.latePenalty, 'PMD'],
    [mentions.recoveryIndemnity, 'PMT'],
    [mentions.earlyPayment, 'AAB'],
  ];
  if (doc.ticketNumber) notes.unshift([`Intervention ${doc.ticketNumber}`, 'AAI']);
  if (doc.reason) notes.unshift([`Motif de l'avoir : ${doc.reason}`, 'ACD']);
  for (const [content, subject] of notes) {
    const note = ram(header, 'IncludedNote'); // BG-1
    ram(note, 'Content', content);
    ram(note, 'SubjectCode', subject);
  }

  const transaction = root.ele(RSM, 'rsm:SupplyChainTradeTransaction');
  for (const line of doc.lines) {
    const item = ram(transaction, 'IncludedSupplyChainTradeLineItem'); // BG-25
    const lineDoc = ram(item, 'AssociatedDocumentLineDocument');
    ram(lineDoc, 'LineID', String(line.lineId)); // BT-126
    if (line.coverageNote) ram(ram(lineDoc, 'IncludedNote'), 'Content', line.coverageNote); // BT-127
    const product = ram(item, 'SpecifiedTradeProduct');
    if (line.sku) ram(product, 'SellerAssignedID', line.sku); // BT-155
    ram(product, 'Name', line.description); // BT-153
    const agreement = ram(item, 'SpecifiedLineTradeAgreement');
    if (line.grossUnitPriceCents !== line.unitPriceCents) {
      const gross = ram(agreement, 'GrossPriceProductTradePrice');
      ram(gross, 'ChargeAmount', amountString(line.grossUnitPriceCents)); // BT-148
      const discount = ram(gross, 'AppliedTradeAllowanceCharge');
      ram(discount, 'ChargeIndicator').ele(UDT, 'udt:Indicator').txt('false');
      ram(discount, 'ActualAmount', amountString(line.grossUnitPriceCents - line.unitPriceCents)); // BT-147
    }
    ram(ram(agreement, 'NetPriceProductTradePrice'), 'ChargeAmount', amountString(line.unitPriceCents)); // BT-146
    ram(ram(item, 'SpecifiedLineTradeDelivery'), 'BilledQuantity', line.quantity, { unitCode: line.unitCode }); // BT-129/130
    const settlement = ram(item, 'SpecifiedLineTradeSettlement');
    const tax = ram(settlement, 'ApplicableTradeTax');
    ram(tax, 'TypeCode', 'VAT');
    ram(tax, 'CategoryCode', line.vatCategory); // BT-151
    ram(tax, 'RateApplicablePercent', percent(line.vatRateBasisPoints)); // BT-152
    ram(ram(settlement, 'SpecifiedTradeSettlementLineMonetarySummation'), 'LineTotalAmount', amountString(line.netAmountCents)); // BT-131
  }

  const agreement = ram(transaction, 'ApplicableHeaderTradeAgreement');
  const seller = ram(agreement, 'SellerTradeParty'); // BG-4
  ram(seller, 'GlobalID', doc.seller.siret, { schemeID: SIRET_SCHEME }); // BT-29
  ram(seller, 'Name', doc.seller.name); // BT-27
  ram(seller, 'Description', mentions.legalInfo); // BT-33
  ram(ram(seller, 'SpecifiedLegalOrganization'), 'ID', doc.seller.siren, { schemeID: SIREN_SCHEME }); // BT-30
  const sellerAddress = ram(seller, 'PostalTradeAddress'); // BG-5
  ram(sellerAddress, 'PostcodeCode', doc.seller.postalCode);
  ram(sellerAddress, 'LineOne', doc.seller.addressLine1);
  ram(sellerAddress, 'CityName', doc.seller.city);
  ram(sellerAddress, 'CountryID', doc.seller.country);
  ram(ram(seller, 'URIUniversalCommunication'), 'URIID', doc.seller.email, { schemeID: 'EM' }); // BT-34
  ram(ram(seller, 'SpecifiedTaxRegistration'), 'ID', doc.seller.vatNumber, { schemeID: 'VA' }); // BT-31

  const buyer = ram(agreement, 'BuyerTradeParty'); // BG-7
  if (doc.buyer.siret) ram(buyer, 'GlobalID', doc.buyer.siret, { schemeID: SIRET_SCHEME }); // BT-46
  ram(buyer, 'Name', doc.buyer.name); // BT-44
  if (doc.buyer.siren) ram(ram(buyer, 'SpecifiedLegalOrganization'), 'ID', doc.buyer.siren, { schemeID: SIREN_SCHEME }); // BT-47
  const buyerAddress = ram(buyer, 'PostalTradeAddress'); // BG-8
  ram(buyerAddress, 'PostcodeCode', doc.buyer.postalCode);
  ram(buyerAddress, 'LineOne', doc.buyer.addressLine1);
  ram(buyerAddress, 'CityName', doc.buyer.city);
  ram(buyerAddress, 'CountryID', doc.buyer.country);
  if (doc.buyer.vatNumber) ram(ram(buyer, 'SpecifiedTaxRegistration'), 'ID', doc.buyer.vatNumber, { schemeID: 'VA' }); // BT-48
  if (doc.contractReference) ram(ram(agreement, 'ContractReferencedDocument'), 'IssuerAssignedID', doc.contractReference); // BT-12
  if (doc.ticketNumber) {
    const invoiced = ram(agreement, 'AdditionalReferencedDocument'); // BT-18: the invoiced object
    ram(invoiced, 'IssuerAssignedID', doc.ticketNumber);
    ram(invoiced, 'TypeCode', '130');
  }

  const delivery = ram(transaction, 'ApplicableHeaderTradeDelivery');
  if (doc.deliveryDate) dateTime(ram(delivery, 'ActualDeliverySupplyChainEvent'), 'OccurrenceDateTime', doc.deliveryDate); // BT-72

  const settlement = ram(transaction, 'ApplicableHeaderTradeSettlement');
  ram(settlement, 'PaymentReference', doc.number); // BT-83
  ram(settlement, 'InvoiceCurrencyCode', doc.currency); // BT-5
  if (doc.typeCode === 380) {
    const means = ram(settlement, 'SpecifiedTradeSettlementPaymentMeans'); // BG-16
    ram(means, 'TypeCode', '58'); // SEPA credit transfer
    ram(ram(means, 'PayeePartyCreditorFinancialAccount'), 'IBANID', doc.seller.iban); // BT-84
    ram(ram(means, 'PayeeSpecifiedCreditorFinancialInstitution'), 'BICID', doc.seller.bic); // BT-86
  }
  for (const vat of doc.totals.vat) {
    const tax = ram(settlement, 'ApplicableTradeTax'); // BG-23
    ram(tax, 'CalculatedAmount', amountString(vat.vatCents)); // BT-117
    ram(tax, 'TypeCode', 'VAT');
    ram(tax, 'BasisAmount', amountString(vat.basisCents)); // BT-116
    ram(tax, 'CategoryCode', vat.vatCategory); // BT-118
    ram(tax, 'RateApplicablePercent', percent(vat.vatRateBasisPoints)); // BT-119
  }
  const terms = ram(settlement, 'SpecifiedTradePaymentTerms');
  ram(terms, 'Description', `${mentions.paymentTerms} ${mentions.latePenalty} ${mentions.recoveryIndemnity}`); // BT-20
  dateTime(terms, 'DueDateDateTime', doc.dueDate); // BT-9
  const sums = ram(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation'); // BG-22
  ram(sums, 'LineTotalAmount', amountString(doc.totals.lineTotalCents)); // BT-106
  ram(sums, 'TaxBasisTotalAmount', amountString(doc.totals.taxBasisTotalCents)); // BT-109
  ram(sums, 'TaxTotalAmount', amountString(doc.totals.vatTotalCents), { currencyID: doc.currency }); // BT-110
  ram(sums, 'GrandTotalAmount', amountString(doc.totals.grandTotalCents)); // BT-112
  ram(sums, 'DuePayableAmount', amountString(doc.totals.grandTotalCents)); // BT-115
  if (doc.precedingInvoice) {
    const preceding = ram(settlement, 'InvoiceReferencedDocument'); // BG-3
    ram(preceding, 'IssuerAssignedID', doc.precedingInvoice.number); // BT-25
    dateTime(preceding, 'FormattedIssueDateTime', doc.precedingInvoice.issueDate, 'qdt'); // BT-26
  }

  return root.end({ prettyPrint: true });
}
