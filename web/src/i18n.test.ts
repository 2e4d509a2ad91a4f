/**
 * The translations: i18next resolves namespaced keys, plurals and interpolation in both languages;
 * English has every French key of every namespace and none empty; a misspelt key fails the type check.
 */
import { describe, expect, it } from 'vitest';
import { dynamicLabel, translator } from './i18n.js';
import { en, fr, NAMESPACES } from './locales/index.js';

describe('translations', () => {
  const tFr = translator('fr');
  const tEn = translator('en');

  it('resolves keys of the default namespace without a prefix and of the others with one', () => {
    expect(tFr('nav.requests')).toBe('Demandes');
    expect(tEn('nav.requests')).toBe('Requests');
    expect(tFr('planning:title')).toBe('Planification de la journée');
    expect(tEn('requestDetail:triage.title')).toBe('Analysis decision');
  });

  it('chooses plural forms by each language’s rules (French 0 and 1 are singular)', () => {
    expect(tFr('planning:moved', { count: 0 })).toBe('0 intervention déplacée');
    expect(tFr('planning:moved', { count: 1 })).toBe('1 intervention déplacée');
    expect(tFr('planning:moved', { count: 3 })).toBe('3 interventions déplacées');
    expect(tEn('planning:moved', { count: 0 })).toBe('0 visits moved');
    expect(tEn('planning:moved', { count: 1 })).toBe('1 visit moved');
    expect(tFr('planning:keepOverrides', { count: 4 })).toBe('Conserver les 4 modifications du répartiteur');
    expect(tEn('requestDetail:tech.parts', { count: 1 })).toBe('1 part found');
  });

  it('gives a fallback for a code that comes from data and has no key', () => {
    expect(dynamicLabel(tFr, 'requestDetail:event.check_in', 'check_in')).toBe('Arrivée du technicien');
    expect(dynamicLabel(tEn, 'requestDetail:event.new_kind', 'new_kind')).toBe('new_kind');
  });

  it('has every French key in English, none empty, in every namespace', () => {
    expect(Object.keys(en).sort()).toEqual([...NAMESPACES].sort());
    for (const ns of NAMESPACES) {
      expect(Object.keys(en[ns]).sort(), ns).toEqual(Object.keys(fr[ns]).sort());
      for (const [key, text] of [...Object.entries(fr[ns]), ...Object.entries(en[ns])]) expect(text, `${ns}:${key}`).not.toBe('');
    }
  });

  it('refuses unknown keys at compile time (checked by tsc -p web)', () => {
    // @ts-expect-error: a misspelt key does not type-check.
    expect(tFr('nav.requestz')).toBe('nav.requestz');
    // @ts-expect-error: a key of another namespace needs its prefix.
    expect(tFr('title')).toBe('title');
  });
});
