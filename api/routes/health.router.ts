import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { DB } from '../../db/index.js';
import { pingDatabase } from '../../db/repositories/health.repository.js';
import { RETRY_AFTER_SECONDS, type Dependency } from '../unavailable.js';

export interface HealthDeps {
  db: Kysely<DB>;
  temporal: Client;
  timeoutMs?: number;
}

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: a real round trip to PostgreSQL and to Temporal; 503 naming what is down. */
export function createHealthRouter({ db, temporal, timeoutMs = 3_000 }: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [postgres, temporalCheck] = await Promise.all([
      timed(() => pingDatabase(db), timeoutMs),
      timed(() => temporal.workflowService.getSystemInfo({}), timeoutMs),
    ]);
    const ok = postgres.ok && temporalCheck.ok;
    const down = [!postgres.ok && 'postgres', !temporalCheck.ok && 'temporal'].filter((d): d is Dependency => Boolean(d));
    if (!ok) res.setHeader('Retry-After', String(Math.max(...down.map((d) => RETRY_AFTER_SECONDS[d]))));
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'unavailable',
      ...(ok ? {} : { message: `unavailable: ${down.join(', ')}` }),
      checks: { postgres, temporal: temporalCheck },
    });
  });
  return router;
}
