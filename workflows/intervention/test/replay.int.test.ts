/**
 * Determinism: the recorded histories of the lifecycle scenarios (fixtures written by
 * `RECORD_HISTORIES=1` runs of lifecycle.int.test.ts) replay against the current workflow code
 * without a server. A change to the order or shape of awaited steps fails here first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const { History } = proto.temporal.api.history.v1;
const dir = new URL('./histories/', import.meta.url);

describe('replay of recorded intervention histories', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it('replays every recorded history without a determinism violation', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: History.fromObject(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))),
    }));
    const results = Worker.runReplayHistories({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, histories);
    let replayed = 0;
    for await (const result of results) {
      expect(result.error, `${result.workflowId}: ${String(result.error)}`).toBeUndefined();
      replayed += 1;
    }
    expect(replayed).toBe(files.length);
  });
});
