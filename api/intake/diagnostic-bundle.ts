/**
 * The optional diagnostic bundle of an intake (system information and an error-log excerpt):
 * what is sent depends on the level of detail, and personal or secret data (emails, IP and MAC
 * addresses, tokens and passwords, user names in paths) is redacted unless the client opts in.
 * Pure: the preview endpoint and the intake build the bundle with the same function, so the
 * preview is exactly what would be stored.
 */
export type DetailLevel = 'essential' | 'complete';

export interface DiagnosticInput {
  systemInfo: Record<string, string | number | boolean>;
  errorLog?: string | undefined;
  level: DetailLevel;
  includeSensitive: boolean;
}

export interface DiagnosticBundle {
  level: DetailLevel;
  includeSensitive: boolean;
  systemInfo: Record<string, string | number | boolean>;
  errorLog: string;
  /** How many values of each kind were redacted. */
  redactions: Record<string, number>;
  sizeBytes: number;
}

/** System information kept at the essential level (case-insensitive key match). */
const ESSENTIAL_KEYS = [
  'os',
  'osversion',
  'manufacturer',
  'model',
  'cpu',
  'memory',
  'memorygb',
  'disk',
  'diskfree',
  'uptime',
  'antivirus',
  'domainjoined',
];
/** Keys whose whole value is personal or identifying. */
const SENSITIVE_KEYS = [
  'username',
  'user',
  'hostname',
  'computername',
  'ip',
  'ipaddress',
  'mac',
  'macaddress',
  'email',
  'serial',
  'serialnumber',
  'domain',
];
const LOG_LINES: Record<DetailLevel, number> = { essential: 50, complete: 1000 };

const PATTERNS: Array<{ kind: string; re: RegExp; replace: string | ((...m: string[]) => string) }> = [
  { kind: 'token', re: /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, replace: '[token]' },
  { kind: 'token', re: /\b(Bearer|Basic)\s+[\w\-.~+/=]+/gi, replace: (_m, scheme) => `${scheme} [token]` },
  {
    kind: 'secret',
    re: /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
    replace: (_m, key, sep) => `${key}${sep}[secret]`,
  },
  { kind: 'email', re: /[\w.+-]+@[\w-]+(\.[\w-]+)+/g, replace: '[email]' },
  { kind: 'mac', re: /\b([0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b/gi, replace: '[mac]' },
  { kind: 'ip', re: /\b(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g, replace: '[ip]' },
  { kind: 'ip', re: /\b([0-9a-f]{1,4}:){4,7}[0-9a-f]{1,4}\b/gi, replace: '[ip]' },
  { kind: 'user', re: /([A-Z]:\\Users\\)[^\\\s]+/gi, replace: (_m, prefix) => `${prefix}[user]` },
  { kind: 'user', re: /(\/(?:home|Users)\/)[^/\s]+/g, replace: (_m, prefix) => `${prefix}[user]` },
  { kind: 'user', re: /\b(user(?:name)?|login)(\s*[=:]\s*)([^\s,;]+)/gi, replace: (_m, key, sep) => `${key}${sep}[user]` },
];

function redact(text: string, counts: Record<string, number>): string {
  let out = text;
  for (const { kind, re, replace } of PATTERNS) {
    out = out.replace(re, (...m: string[]) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      return typeof replace === 'string' ? replace : replace(...m);
    });
  }
  return out;
}

const norm = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

export function buildDiagnosticBundle(input: DiagnosticInput): DiagnosticBundle {
  const redactions: Record<string, number> = {};
  const systemInfo: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(input.systemInfo)) {
    if (input.level === 'essential' && !ESSENTIAL_KEYS.includes(norm(key))) continue;
    if (!input.includeSensitive && SENSITIVE_KEYS.includes(norm(key))) {
      systemInfo[key] = '[redacted]';
      redactions.field = (redactions.field ?? 0) + 1;
      continue;
    }
    systemInfo[key] = typeof value === 'string' && !input.includeSensitive ? redact(value, redactions) : value;
  }
  const lines = (input.errorLog ?? '').split(/\r?\n/);
  const excerpt = lines.slice(-LOG_LINES[input.level]).join('\n');
  const errorLog = input.includeSensitive ? excerpt : redact(excerpt, redactions);
  const bundle = { level: input.level, includeSensitive: input.includeSensitive, systemInfo, errorLog, redactions };
  return { ...bundle, sizeBytes: Buffer.byteLength(JSON.stringify(bundle)) };
}
