/**
 * Determinism of the scheduled-report workflows: their recorded histories (written by a
 * `RECORD_HISTORIES=1` run of activities/reports/kpi-report.int.test.ts: a scheduled run starting
 * a report, the report produced and emailed, a second run of the same period finding it started)
 * replay against the current workflow code without a server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const { History } = proto.temporal.api.history.v1;
const dir = new URL('./histories/', import.meta.url);

describe('replay of recorded scheduled-report histories', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has the three recorded scenarios', () => {
    expect(files).toEqual([
      'finds-the-report-of-the-period-already-started.json',
      'produces-and-emails-one-report.json',
      'schedules-the-weekly-reports-of-the-period.json',
    ]);
  });

  it('replays every recorded history without a determinism violation', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: History.fromObject(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))),
    }));
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, histories)) {
      expect(result.error, `${result.workflowId}: ${String(result.error)}`).toBeUndefined();
      replayed += 1;
    }
    expect(replayed).toBe(files.length);
  });
});
