/**
 * Shared by the lifecycle integration tests, which run the real activities (invoicing included)
 * against the real PostgreSQL: an in-process SMTP server that keeps what arrives, technician and
 * parts fixtures, and a small JSON client for the API. The phase tests with fake activities use
 * fake-activities.ts instead.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { SMTPServer } from 'smtp-server';
import type { DB } from '../../../db/index.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  messageId: string | null;
  raw: string;
}

export async function startSmtp(): Promise<{ url: string; received: ReceivedMail[]; stop(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function createPart(db: Kysely<DB>): Promise<string> {
  const sku = `PSU-${randomUUID().slice(0, 8)}`;
  await db.insertInto('partsCatalogue').values({ sku, label: 'Alimentation 260 W', unitPriceCents: 6900 }).execute();
  return sku;
}

export type Headers = Record<string, string>;

/**
 * A JSON client for the API. Every call since access control needs credentials: `headers` (e.g.
 * from `createTestAccount(db, role).headers`) are sent with every call, and a call may pass its
 * own (acting as another user) that replace them.
 */
export function apiClient(url: string, headers: Headers = {}) {
  return async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    as: Headers = headers,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...as },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

export { eventually } from '../../../scripts/testing/env.js';
