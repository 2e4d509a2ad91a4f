/**
 * Process configuration from environment variables, validated once at start. A bad value stops
 * the process with a message that names the variable, what was expected and what was given.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const port = z.coerce
  .number({ error: 'expected a port number (1-65535)' })
  .int()
  .min(1, 'expected a port number (1-65535)')
  .max(65535, 'expected a port number (1-65535)');
/** 32 bytes as 64 hex digits or base64 (standard or URL-safe); api/auth/secret-box.ts decodes the same forms. */
const secretKey = z
  .string()
  .refine(
    (v) =>
      /^[0-9a-fA-F]{64}$/.test(v) ||
      (/^[A-Za-z0-9+/_-]{43}=?$/.test(v) && Buffer.from(v, /[-_]/.test(v) ? 'base64url' : 'base64').length === 32),
    'expected 32 bytes, base64 or hex encoded (openssl rand -base64 32)',
  );
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, 'data')),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_PORT: port.default(54329),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port, e.g. temporal:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('interventions'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI: bool.default(true),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected smtp://user:pass@host:port or smtps://…')
    .optional(),
  /** An OSRM-compatible routing service (its `table` endpoint) for the plans' travel times; absent: the offline zone model. */
  ROUTING_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default('Support Intervention <support@intervention.local>'),
  FINANCE_EMAIL: z.email().default('finance@intervention.local'),
  SUPPORT_EMAIL: z.email().default('support@intervention.local'),
  // The invoicing company's legal identity (mentions obligatoires, EN 16931 seller).
  SELLER_NAME: z.string().min(1).default('Intervention Services'),
  SELLER_LEGAL_FORM: z.string().min(1).default('SAS'),
  SELLER_CAPITAL: z.string().min(1).default('10 000 €'),
  SELLER_ADDRESS_LINE1: z.string().min(1).default('1 place de la République'),
  SELLER_POSTAL_CODE: z.string().min(1).default('75003'),
  SELLER_CITY: z.string().min(1).default('Paris'),
  SELLER_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 code')
    .default('FR'),
  SELLER_SIREN: z
    .string()
    .regex(/^\d{9}$/, 'expected 9 digits')
    .default('732829320'),
  SELLER_SIRET: z
    .string()
    .regex(/^\d{14}$/, 'expected 14 digits')
    .default('73282932000074'),
  SELLER_VAT_NUMBER: z
    .string()
    .regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'expected e.g. FR44732829320')
    .default('FR44732829320'),
  SELLER_RCS: z.string().min(1).default('RCS Paris'),
  SELLER_EMAIL: z.email().default('facturation@intervention.local'),
  SELLER_IBAN: z
    .string()
    .regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, 'expected an IBAN without spaces')
    .default('FR7630006000011234567890189'),
  SELLER_BIC: z
    .string()
    .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'expected a BIC')
    .default('AGRIFRPP'),
  PAYMENT_TERMS_DAYS: z.coerce.number().int().min(0).max(60).default(30),
  LATE_PENALTY_RATE: z.string().min(1).default("3 fois le taux d'intérêt légal"),
  // Encrypts the OIDC client secrets stored in the database (AES-256-GCM): 32 random bytes,
  // base64 or hex (`openssl rand -base64 32`). Without it, production refuses to store a secret.
  OIDC_SECRET_KEY: secretKey.optional(),
  // How long a request waits on the workflows (a worker that is down) before answering without
  // them: the intake then answers 202 (confirmation by email later), an action 503.
  INTAKE_CONFIRM_TIMEOUT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(100, 'expected 100 to 120000 ms')
    .max(120_000, 'expected 100 to 120000 ms')
    .default(8_000),
  // When the nightly plan of the next working day is made (HH:MM, Europe/Paris; docs/dispatch.md).
  NIGHTLY_PLAN_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM (Europe/Paris), e.g. 18:00')
    .default('18:00'),
  ACTION_TIMEOUT_MS: z.coerce
    .number({ error: 'expected milliseconds' })
    .int()
    .min(100, 'expected 100 to 120000 ms')
    .max(120_000, 'expected 100 to 120000 ms')
    .default(10_000),
  // The API's general rate limit (api/rate-limit.ts): requests per minute from one client
  // address and of one account, counted in PostgreSQL across API processes. /healthz is exempt.
  RATE_LIMIT_PER_ADDRESS: z.coerce
    .number({ error: 'expected requests per minute' })
    .int()
    .min(10, 'expected 10 to 1000000 requests per minute')
    .max(1_000_000, 'expected 10 to 1000000 requests per minute')
    .default(600),
  RATE_LIMIT_PER_ACCOUNT: z.coerce
    .number({ error: 'expected requests per minute' })
    .int()
    .min(10, 'expected 10 to 1000000 requests per minute')
    .max(1_000_000, 'expected 10 to 1000000 requests per minute')
    .default(300),
  SEED_DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** The dispatch board's map tiles ({z}/{x}/{y} template); 'off' draws the offline outline map only. */
  MAP_TILE_URL: z
    .union([
      z.literal('off'),
      z.string().regex(/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/, 'expected an http(s) URL with {z}, {x} and {y}, or off'),
    ])
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  /** Credit shown on the map, as the tile provider requires. */
  MAP_TILE_ATTRIBUTION: z.string().min(1).default('© OpenStreetMap contributors'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError listing every bad variable by name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as shells and compose files often pass them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const given = cleaned[name];
    return `  ${name}: ${issue.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** For process entry points: the configuration, or exit code 2 with the message naming the variables. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
