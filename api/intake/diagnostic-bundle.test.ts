import { describe, expect, it } from 'vitest';
import { buildDiagnosticBundle } from './diagnostic-bundle.js';

const systemInfo = {
  os: 'Windows 11',
  osVersion: '23H2',
  model: 'OptiPlex 7010',
  userName: 'cmartin',
  hostname: 'COMPTA-01',
  gpu: 'Intel UHD',
};
const errorLog = [
  'boot ok',
  'login user=cmartin from 192.168.1.24 (aa:bb:cc:dd:ee:ff)',
  'C:\\Users\\cmartin\\AppData\\Local\\app.log: crash',
  'mail to claire.martin@client.fr failed, Authorization: Bearer abc.def-123',
  'retry with password=hunter2 api_key: XYZ123',
].join('\n');

describe('diagnostic bundle preview', () => {
  it('redacts emails, IPs, MAC addresses, user names and secrets by default', () => {
    const b = buildDiagnosticBundle({ systemInfo, errorLog, level: 'complete', includeSensitive: false });
    for (const leak of [
      'cmartin',
      '192.168.1.24',
      'aa:bb:cc:dd:ee:ff',
      'claire.martin@client.fr',
      'abc.def-123',
      'hunter2',
      'XYZ123',
      'COMPTA-01',
    ]) {
      expect(JSON.stringify(b)).not.toContain(leak);
    }
    expect(b.errorLog).toContain('C:\\Users\\[user]');
    expect(b.errorLog).toContain('Bearer [token]');
    expect(b.redactions).toMatchObject({ email: 1, ip: 1, mac: 1, secret: 2, field: 2 });
  });

  it('keeps everything when the client opts in to sensitive data', () => {
    const b = buildDiagnosticBundle({ systemInfo, errorLog, level: 'complete', includeSensitive: true });
    expect(b.errorLog).toBe(errorLog);
    expect(b.systemInfo.userName).toBe('cmartin');
    expect(b.redactions).toEqual({});
  });

  it('sends only essential system fields and the last 50 log lines at the essential level', () => {
    const log = Array.from({ length: 120 }, (_, n) => `line ${n}`).join('\n');
    const b = buildDiagnosticBundle({ systemInfo, errorLog: log, level: 'essential', includeSensitive: false });
    expect(Object.keys(b.systemInfo)).toEqual(['os', 'osVersion', 'model']);
    expect(b.errorLog.split('\n')).toHaveLength(50);
    expect(b.errorLog.startsWith('line 70')).toBe(true);
    expect(b.sizeBytes).toBe(
      Buffer.byteLength(
        JSON.stringify({
          level: b.level,
          includeSensitive: false,
          systemInfo: b.systemInfo,
          errorLog: b.errorLog,
          redactions: b.redactions,
        }),
      ),
    );
  });
});
