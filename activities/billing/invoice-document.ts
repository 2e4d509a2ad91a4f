/**
 * One issued document (invoice 380 or credit note 381) as both renderers (PDF and CII XML) read
 * it: the seller and buyer snapshots, the lines and totals, the legal dates and references.
 */
import type { DocumentTotals, PricedLine } from './pricing.js';
import type { SellerProfile } from './seller-profile.js';

export interface BuyerParty {
  name: string;
  addressLine1: string;
  postalCode: string;
  city: string;
  country: string;
  siren: string | null;
  siret: string | null;
  vatNumber: string | null;
}

export interface InvoiceDocument {
  typeCode: 380 | 381;
  number: string;
  /** YYYY-MM-DD. */
  issueDate: string;
  dueDate: string;
  /** Date of the service (last check-out), YYYY-MM-DD. */
  deliveryDate: string | null;
  currency: 'EUR';
  seller: SellerProfile;
  buyer: BuyerParty;
  /** The intervention reference (INT-2026-000123). */
  ticketNumber: string | null;
  contractReference: string | null;
  /** Credit notes: the invoice they correct (BT-25, BT-26). */
  precedingInvoice: { number: string; issueDate: string } | null;
  /** Credit notes: why. */
  reason: string | null;
  lines: PricedLine[];
  totals: DocumentTotals;
  language: 'fr' | 'en';
}

/** The legal mentions every French B2B invoice carries (Code de commerce L441-9, D441-5). */
export function legalMentions(doc: Pick<InvoiceDocument, 'seller' | 'language'>) {
  const { seller } = doc;
  const indemnity = `${seller.recoveryIndemnityCents / 100} €`;
  if (doc.language === 'en') {
    return {
      latePenalty: `Late payment penalties: ${seller.latePenaltyRate}, due from the day after the due date.`,
      recoveryIndemnity: `Fixed indemnity for recovery costs in case of late payment: ${indemnity} (art. D441-5 Code de commerce).`,
      earlyPayment: 'No discount for early payment.',
      paymentTerms: `Payment by bank transfer within ${seller.paymentTermsDays} days of the invoice date.`,
      legalInfo: `${seller.name}, ${seller.legalForm} with a share capital of ${seller.capital}, ${seller.rcs} ${seller.siren}`,
    };
  }
  return {
    latePenalty: `Pénalités de retard : ${seller.latePenaltyRate}, exigibles dès le lendemain de la date d'échéance.`,
    recoveryIndemnity: `Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : ${indemnity} (art. D441-5 du Code de commerce).`,
    earlyPayment: "Pas d'escompte pour paiement anticipé.",
    paymentTerms: `Paiement par virement à ${seller.paymentTermsDays} jours date de facture.`,
    legalInfo: `${seller.name}, ${seller.legalForm} au capital de ${seller.capital}, ${seller.rcs} ${seller.siren}`,
  };
}
