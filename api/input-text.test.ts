import { describe, expect, it } from 'vitest';
import { MAX_INPUT_DEPTH, unstorableFields, unstorableText } from './input-text.js';

describe('text PostgreSQL cannot store', () => {
  it('finds NUL and unpaired surrogates, and accepts any well-formed text (emoji included)', () => {
    expect(unstorableText('a\u0000b')).toMatch(/NUL/);
    expect(unstorableText('a\ud800b')).toMatch(/surrogate/);
    expect(unstorableText('a\udc00')).toMatch(/surrogate/);
    expect(unstorableText('\ud800')).toMatch(/surrogate/);
    expect(unstorableText('café 🛠️ \ufffd \u0001 \uffff')).toBeNull();
  });

  it('names each offending field at any depth, keys included', () => {
    const body = { reason: 'ok', device: { brand: 'a\u0000' }, photos: [{ filename: 'x\ud83d.png' }], systemInfo: { ['k\u0000']: 1 } };
    expect(unstorableFields(body, 'body').map((f) => f.field)).toEqual([
      'body.device.brand',
      'body.photos.0.filename',
      'body.systemInfo.k\ufffd',
    ]);
    expect(unstorableFields({ status: 'new\u0000' }, 'query')).toEqual([{ field: 'query.status', message: expect.stringMatching(/NUL/) }]);
  });

  it('refuses nesting deeper than the bound without recursing (100 000 levels)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const errors = unstorableFields({ a: deep }, 'body');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(String(MAX_INPUT_DEPTH));
  });
});
