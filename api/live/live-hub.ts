/**
 * Live events (issue 17): the process's one LISTEN connection (db/live-listener.ts) fanned out to
 * the signed-in users' streams (GET /api/events), each event filtered by what its user may see:
 * - a notification: its own user only; a day's plan: staff (support, dispatch, admin);
 * - a change of a request: the back office (support, dispatch, admin, finance) always; a client
 *   user when the request is its company's; a technician when the request is one of theirs,
 *   decided by PostgreSQL's own rule (app_request_visible, the policies' function) under the
 *   technician's scope.
 * Events carry ids and kinds only; the pages read the data through the API, under their RLS.
 *
 * Resuming: each event has an id `<epoch>.<seq>`. The last RING_SIZE events of the process are
 * kept in memory; a reconnect with `Last-Event-ID` gets the ones it missed. An id of another
 * epoch (another process, or a LISTEN connection that was lost meanwhile, when notifications may
 * have been missed) or older than the ring gets a `reset` event instead: reload everything.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { startLiveListener, type LiveListener, type LiveNotification } from '../../db/live-listener.js';
import { isRequestVisible } from '../../db/repositories/visibility.repository.js';
import { enterScope } from '../auth/access.js';
import type { Principal } from '../routing.js';

/** Events kept for resuming, per process. */
export const RING_SIZE = 1_000;
/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** The LISTEN connection is closed this long after the last stream ended. */
export const IDLE_CLOSE_MS = 10_000;

const BACK_OFFICE = new Set(['support_agent', 'dispatcher', 'admin', 'finance']);
const CLIENT = new Set(['client_user', 'client_admin']);
/** Who reads the day's plans (dispatch_plans' policy, app_is_staff). */
const STAFF = new Set(['support_agent', 'dispatcher', 'admin']);

export interface LiveEvent extends LiveNotification {
  seq: number;
}

/** What a stream is sent (api/routes/live.routes.ts writes it as SSE). */
export interface LiveSink {
  event(
    id: string,
    event: { kind: LiveEvent['kind']; requestId: string | null; ticketNumber: string | null; planDate: string | null },
  ): void;
  /** The events since the client's last id are not all known: reload everything. */
  reset(id: string | null): void;
  /** Listening (again): the stream is live. */
  ready(id: string | null): void;
}

interface Subscriber {
  principal: Principal;
  sink: LiveSink;
  /** Deliveries in order, one after the other (a technician's may wait on the database). */
  chain: Promise<void>;
}

export interface LiveHubOptions {
  ringSize?: number;
  idleCloseMs?: number;
  log?: (err: unknown) => void;
}

export class LiveHub {
  private ring: LiveEvent[] = [];
  private seq = 0;
  private epoch = newEpoch();
  private listener: LiveListener | null = null;
  private up = false;
  private everUp = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly subscribers = new Set<Subscriber>();
  private readonly ringSize: number;
  private readonly idleCloseMs: number;
  private readonly log: (err: unknown) => void;

  constructor(
    private readonly db: Kysely<DB>,
    options: LiveHubOptions = {},
  ) {
    this.ringSize = options.ringSize ?? RING_SIZE;
    this.idleCloseMs = options.idleCloseMs ?? IDLE_CLOSE_MS;
    this.log = options.log ?? ((err) => console.error(err));
  }

  /** The id of the newest event (what a client that saw everything would send back). */
  get lastId(): string | null {
    return this.up ? `${this.epoch}.${this.seq}` : null;
  }

  /** Starts delivering to `sink`; returns the unsubscribe function. */
  subscribe(principal: Principal, lastEventId: string | null, sink: LiveSink): () => void {
    const subscriber: Subscriber = { principal, sink, chain: Promise.resolve() };
    this.subscribers.add(subscriber);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.listener) this.startListening();
    if (this.up) {
      if (lastEventId) this.resume(subscriber, lastEventId);
      else sink.ready(this.lastId);
    } else if (lastEventId) {
      // Not listening yet: whatever happened since that id is unknown.
      sink.reset(null);
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.listener && !this.idleTimer) {
        this.idleTimer = setTimeout(() => void this.stopListening(), this.idleCloseMs);
        this.idleTimer.unref();
      }
    };
  }

  /** Closes the LISTEN connection (process shutdown). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.stopListening();
  }

  /** `ready` then the events after `lastEventId`, or `reset` when they are not all in the ring. */
  private resume(subscriber: Subscriber, lastEventId: string): void {
    const [epoch, seqText] = lastEventId.split('.');
    const last = Number(seqText);
    const oldest = this.ring[0]?.seq ?? this.seq + 1;
    if (epoch !== this.epoch || !Number.isInteger(last) || last > this.seq || last < oldest - 1) {
      subscriber.sink.reset(this.lastId);
      return;
    }
    subscriber.sink.ready(this.lastId);
    for (const event of this.ring) if (event.seq > last) this.deliver(subscriber, event);
  }

  private startListening(): void {
    this.listener = startLiveListener(this.db, {
      onNotification: (n) => this.publish(n),
      onUp: () => {
        // After a loss, notifications may have been missed: a new epoch, and everyone reloads.
        if (this.everUp) this.newEpoch();
        const first = !this.everUp;
        this.everUp = true;
        this.up = true;
        for (const s of this.subscribers) {
          if (first) s.sink.ready(this.lastId);
          else s.sink.reset(this.lastId);
        }
      },
      onDown: (err) => {
        this.up = false;
        this.log(err);
      },
    });
  }

  private async stopListening(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    this.up = false;
    // Events while nobody listens are not known: ids of the old epoch must not resume.
    if (this.everUp) this.newEpoch();
    this.everUp = false;
    if (listener) await listener.close();
  }

  private newEpoch(): void {
    this.epoch = newEpoch();
    this.ring = [];
    this.seq = 0;
  }

  private publish(notification: LiveNotification): void {
    const event: LiveEvent = { ...notification, seq: ++this.seq };
    this.ring.push(event);
    if (this.ring.length > this.ringSize) this.ring.shift();
    for (const s of this.subscribers) this.deliver(s, event);
  }

  private deliver(subscriber: Subscriber, event: LiveEvent): void {
    const id = `${this.epoch}.${event.seq}`;
    subscriber.chain = subscriber.chain
      .then(async () => {
        if (!this.subscribers.has(subscriber)) return;
        if (await this.maysee(subscriber.principal, event)) {
          subscriber.sink.event(id, {
            kind: event.kind,
            requestId: event.requestId,
            ticketNumber: event.ticketNumber,
            planDate: event.planDate,
          });
        }
      })
      .catch((err: unknown) => this.log(err));
  }

  private async maysee(principal: Principal, event: LiveEvent): Promise<boolean> {
    if (event.kind === 'notification') return event.userId === principal.userId;
    if (event.kind === 'plan') return STAFF.has(principal.role);
    if (!event.requestId) return false;
    if (BACK_OFFICE.has(principal.role)) return true;
    if (CLIENT.has(principal.role)) return principal.clientId !== null && event.clientId === principal.clientId;
    if (principal.role !== 'technician' || !principal.technicianId) return false;
    // The technician the change names (a new or withdrawn assignment): theirs to know.
    if (event.technicianId === principal.technicianId) return true;
    return this.db.transaction().execute(async (trx) => {
      await enterScope(trx, principal);
      return isRequestVisible(trx, event.requestId!);
    });
  }
}

function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}
