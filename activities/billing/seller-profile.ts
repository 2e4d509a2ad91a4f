/**
 * Who issues the invoices: the legal identity printed on every document and written into the
 * e-invoice. Data, not code: built from the environment (platform/config.ts) and passed to the
 * billing activities, and snapshotted into each invoice at issue time.
 */
export interface SellerProfile {
  name: string;
  /** e.g. "SAS". */
  legalForm: string;
  /** Share capital, e.g. "10 000 €". */
  capital: string;
  addressLine1: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  siren: string;
  siret: string;
  vatNumber: string;
  /** e.g. "RCS Paris". */
  rcs: string;
  email: string;
  iban: string;
  bic: string;
  paymentTermsDays: number;
  /** Late-payment penalty rate as printed, e.g. "3 fois le taux d'intérêt légal". */
  latePenaltyRate: string;
  /** Fixed recovery indemnity (art. L441-10 and D441-5 Code de commerce): 40 €. */
  recoveryIndemnityCents: number;
}

/** The subset of platform/config.ts the profile reads (kept structural: the activities need only these fields). */
export interface SellerConfig {
  SELLER_NAME: string;
  SELLER_LEGAL_FORM: string;
  SELLER_CAPITAL: string;
  SELLER_ADDRESS_LINE1: string;
  SELLER_POSTAL_CODE: string;
  SELLER_CITY: string;
  SELLER_COUNTRY: string;
  SELLER_SIREN: string;
  SELLER_SIRET: string;
  SELLER_VAT_NUMBER: string;
  SELLER_RCS: string;
  SELLER_EMAIL: string;
  SELLER_IBAN: string;
  SELLER_BIC: string;
  PAYMENT_TERMS_DAYS: number;
  LATE_PENALTY_RATE: string;
}

export function sellerProfileFromConfig(config: SellerConfig): SellerProfile {
  return {
    name: config.SELLER_NAME,
    legalForm: config.SELLER_LEGAL_FORM,
    capital: config.SELLER_CAPITAL,
    addressLine1: config.SELLER_ADDRESS_LINE1,
    postalCode: config.SELLER_POSTAL_CODE,
    city: config.SELLER_CITY,
    country: config.SELLER_COUNTRY,
    siren: config.SELLER_SIREN,
    siret: config.SELLER_SIRET,
    vatNumber: config.SELLER_VAT_NUMBER,
    rcs: config.SELLER_RCS,
    email: config.SELLER_EMAIL,
    iban: config.SELLER_IBAN,
    bic: config.SELLER_BIC,
    paymentTermsDays: config.PAYMENT_TERMS_DAYS,
    latePenaltyRate: config.LATE_PENALTY_RATE,
    recoveryIndemnityCents: 4000,
  };
}
