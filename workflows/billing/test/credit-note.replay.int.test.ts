/**
 * Determinism of the credit-note workflow: its recorded histories (written by
 * `RECORD_HISTORIES=1` runs of api/test/invoices.int.test.ts: a credit note issued, a credit
 * refused) replay against the current workflow code without a server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const { History } = proto.temporal.api.history.v1;
const dir = new URL('./histories/', import.meta.url);

describe('replay of recorded credit-note histories', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has the issued and the refused history to replay', () => {
    expect(files).toEqual([
      'issues-a-partial-credit-note-and-emails-finance.json',
      'refuses-a-credit-beyond-what-remains-on-the-line.json',
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
