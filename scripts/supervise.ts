/**
 * Keeps a child service running: when it exits without being asked to (a crash, `kill -9`), it
 * is started again after a bounded, growing delay, with a line on the console for each event.
 * `npm start` supervises the embedded PostgreSQL and the Temporal dev server with it, so a crash
 * heals itself on a laptop as it would under an orchestrator in production; the API and the
 * worker reconnect by themselves meanwhile (README, "When PostgreSQL or Temporal is down").
 */

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started service as the supervisor sees it. */
export interface SupervisedProcess {
  /** For the log (undefined when unknown). */
  pid?: number | undefined;
  /** Settles when the process has ended, whoever ended it. Never settles for a service not run by us. */
  exited: Promise<ProcessExit>;
  /** Ends it on purpose (no restart follows). */
  stop(): Promise<void>;
}

export interface Backoff {
  /** Delay before the first restart (then doubled at each failed or quick restart). */
  initialMs: number;
  /** Longest delay between two restarts. */
  maxMs: number;
  /** A service that ran this long before exiting is restarted after `initialMs` again. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

export interface SupervisorOptions<T extends SupervisedProcess> {
  /** For the log: `PostgreSQL`, `Temporal`. */
  name: string;
  /** Starts the service (the same way each time: same port, same data). */
  start(): Promise<T>;
  log(line: string): void;
  backoff?: Partial<Backoff>;
  /** Called with each restarted service. */
  onRestart?(service: T): void;
}

export interface Supervisor<T extends SupervisedProcess> {
  /** The service running now (the last one started). */
  readonly current: T;
  /** Restarts so far. */
  readonly restarts: number;
  /**
   * No restart from now on: the process is shutting down (Ctrl-C reaches the children too, which
   * then exit before their turn to be stopped).
   */
  release(): void;
  /** Stops supervising, then the service (also one being restarted). */
  stop(): Promise<void>;
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))} s`;

/** Starts the service and keeps it running until `stop()`. */
export async function supervise<T extends SupervisedProcess>(options: SupervisorOptions<T>): Promise<Supervisor<T>> {
  const { name, log } = options;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  let current = await options.start();
  let restarts = 0;
  /** Consecutive restarts without a stable run in between: the exponent of the delay. */
  let failures = 0;
  let stopping = false;
  let wake: (() => void) | undefined;
  let restarting: Promise<void> = Promise.resolve();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const restart = async (exit: ProcessExit, ranMs: number) => {
    if (ranMs >= backoff.stableMs) failures = 0;
    let reason = describeExit(exit);
    while (!stopping) {
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
      failures += 1;
      log(`${name} stopped unexpectedly (${reason}); restarting in ${seconds(delay)} (restart ${restarts + 1})`);
      await sleep(delay);
      if (stopping) return;
      const began = Date.now();
      try {
        const next = await options.start();
        if (stopping) {
          await next.stop();
          return;
        }
        current = next;
        restarts += 1;
        log(`${name} restarted${next.pid ? ` (pid ${next.pid})` : ''} in ${seconds(Date.now() - began)}`);
        options.onRestart?.(next);
        watch(next);
        return;
      } catch (err) {
        reason = `its restart failed: ${((err as Error)?.message ?? String(err)).split('\n')[0]}`;
      }
    }
  };

  function watch(service: T) {
    const startedAt = Date.now();
    void service.exited.then((exit) => {
      if (stopping || service !== current) return;
      restarting = restart(exit, Date.now() - startedAt);
    });
  }
  watch(current);

  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    release() {
      stopping = true;
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      await restarting;
      await current.stop();
    },
  };
}
