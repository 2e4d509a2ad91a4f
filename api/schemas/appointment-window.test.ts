import { describe, expect, it } from 'vitest';
import { appointmentWindowSchema } from './request.schema.js';

describe('the intake appointment window', () => {
  it('takes two instants with their offset, the end after the start, at most 12 hours apart', () => {
    expect(appointmentWindowSchema.safeParse({ from: '2033-06-14T14:00:00+02:00', to: '2033-06-14T16:00:00+02:00' }).success).toBe(true);
    const reversed = appointmentWindowSchema.safeParse({ from: '2033-06-14T16:00:00+02:00', to: '2033-06-14T14:00:00+02:00' });
    expect(reversed.success).toBe(false);
    expect(reversed.error?.issues[0]?.path).toEqual(['to']);
    expect(appointmentWindowSchema.safeParse({ from: '2033-06-14T08:00:00Z', to: '2033-06-15T08:00:00Z' }).success).toBe(false);
    expect(appointmentWindowSchema.safeParse({ from: '2033-06-14 14:00', to: '2033-06-14T16:00:00Z' }).success).toBe(false);
    expect(appointmentWindowSchema.safeParse({ from: '2033-06-14T14:00:00Z', to: '2033-06-14T16:00:00Z', note: 'x' }).success).toBe(false);
  });
});
