/**
 * Reads invites and feeds with Debian's python3-icalendar (scripts/ensure-system-deps.sh installs
 * it): an independent parser, the way a calendar client reads what we send.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string | null;
  summary: string;
  description: string | null;
  /** ISO with the offset the parser resolved from the TZID. */
  start: string;
  end: string;
  tzid: string | undefined;
  endTzid: string | undefined;
  stamp: string;
  organizer: string | null;
  attendees: string[];
}

export interface ParsedCalendar {
  method: string | null;
  name: string | null;
  timezones: string[];
  events: ParsedEvent[];
  /** The iCalendar text (for an email, its text/calendar part decoded). */
  ics: string;
}

const SCRIPT = fileURLToPath(new URL('./icalendar-check.py', import.meta.url));
/** Debian's interpreter, where the apt package installs the module (a pyenv python3 on PATH lacks it). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Parses each item (a whole email, or an iCalendar object); throws on anything the parser refuses. */
export function parseICalendar(items: ReadonlyArray<{ raw: string } | { ics: string }>): ParsedCalendar[] {
  const out = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify(items), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as ParsedCalendar[];
}
