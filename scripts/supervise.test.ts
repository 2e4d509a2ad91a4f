/**
 * The supervisor with real child processes (a tiny node program) killed with SIGKILL, as
 * `npm start` supervises the embedded PostgreSQL and the Temporal dev server.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { supervise, type SupervisedProcess, type Supervisor } from './supervise.js';

/** A node child that runs until killed. */
function startChild(): Promise<SupervisedProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', () =>
      resolve({
        pid: child.pid!,
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      }),
    );
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('supervise', () => {
  let supervisor: Supervisor<SupervisedProcess & { pid: number }> | undefined;
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
  });

  it('restarts a child killed with SIGKILL, saying so, with a delay that doubles up to its bound', async () => {
    const lines: string[] = [];
    supervisor = await supervise({
      name: 'child',
      start: startChild,
      log: (line) => lines.push(line),
      backoff: { initialMs: 50, maxMs: 150, stableMs: 60_000 },
    });
    const pids = [supervisor.current.pid];
    for (let kill = 1; kill <= 4; kill++) {
      process.kill(supervisor.current.pid, 'SIGKILL');
      await until(() => supervisor!.restarts === kill, `restart ${kill}`);
      pids.push(supervisor.current.pid);
      expect(alive(supervisor.current.pid)).toBe(true);
    }
    expect(new Set(pids).size).toBe(5);
    expect(pids.slice(0, -1).some(alive)).toBe(false);
    const delays = lines.filter((l) => l.includes('stopped unexpectedly')).map((l) => /restarting in ([\d.]+) s/.exec(l)![1]);
    expect(delays).toEqual(['0.05', '0.1', '0.15', '0.15']);
    expect(lines[0]).toBe('child stopped unexpectedly (killed by SIGKILL); restarting in 0.05 s (restart 1)');
    expect(lines[1]).toMatch(/^child restarted \(pid \d+\) in [\d.]+ s$/);
  });

  it('starts the delays over after a stable run', async () => {
    const lines: string[] = [];
    supervisor = await supervise({
      name: 'child',
      start: startChild,
      log: (line) => lines.push(line),
      backoff: { initialMs: 40, maxMs: 1_000, stableMs: 200 },
    });
    process.kill(supervisor.current.pid, 'SIGKILL');
    await until(() => supervisor!.restarts === 1, 'restart 1');
    process.kill(supervisor.current.pid, 'SIGKILL');
    await until(() => supervisor!.restarts === 2, 'restart 2');
    await new Promise((r) => setTimeout(r, 250));
    process.kill(supervisor.current.pid, 'SIGKILL');
    await until(() => supervisor!.restarts === 3, 'restart 3');
    const delays = lines.filter((l) => l.includes('stopped unexpectedly')).map((l) => /restarting in ([\d.]+) s/.exec(l)![1]);
    expect(delays).toEqual(['0.04', '0.08', '0.04']);
  });

  it('keeps trying when a restart fails, and says why', async () => {
    const lines: string[] = [];
    let refusals = 2;
    supervisor = await supervise({
      name: 'child',
      start: () => (lines.length > 0 && refusals-- > 0 ? Promise.reject(new Error('port 54329 is busy')) : startChild()),
      log: (line) => lines.push(line),
      backoff: { initialMs: 20, maxMs: 100, stableMs: 60_000 },
    });
    process.kill(supervisor.current.pid, 'SIGKILL');
    await until(() => supervisor!.restarts === 1, 'the restart after two refusals');
    expect(lines.filter((l) => l.includes('its restart failed: port 54329 is busy'))).toHaveLength(2);
    expect(alive(supervisor.current.pid)).toBe(true);
  });

  it('does not restart what it was asked to stop', async () => {
    const lines: string[] = [];
    supervisor = await supervise({ name: 'child', start: startChild, log: (line) => lines.push(line), backoff: { initialMs: 10 } });
    const { pid } = supervisor.current;
    await supervisor.stop();
    supervisor = undefined;
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
    expect(lines).toEqual([]);
  });
});
