import { describe, expect, it } from 'vitest';
import { correctedWords, editDistance, headlineSegments, queryTokens, tsQueryOf } from './search-query.js';

describe('search query words', () => {
  it('lower-cases, removes accents and splits on anything but letters and digits', () => {
    expect(queryTokens("L'imprimante RÉSEAU ne répond plus (Wi-Fi) & | !x")).toEqual([
      'imprimante',
      'reseau',
      'ne',
      'repond',
      'plus',
      'wi',
      'fi',
    ]);
  });

  it('never lets to_tsquery syntax through', () => {
    expect(tsQueryOf(queryTokens("a:* & !b | (c) <-> 'd'"), 'all')).toBe('');
    expect(tsQueryOf(queryTokens('vpn:* & !outlook'), 'any')).toBe('vpn | outlook');
  });

  it('replaces an unknown word by the article word fewest edits away, drops stop words, keeps known ones', () => {
    const { words, corrections } = correctedWords([
      { token: 'le', stop: true, known: false, candidates: [{ word: 'les', similarity: 0.5 }] },
      {
        token: 'imprimente',
        stop: false,
        known: false,
        candidates: [
          { word: 'imprime', similarity: 0.58 },
          { word: 'imprimante', similarity: 0.57 },
        ],
      },
      { token: 'bourrage', stop: false, known: true, candidates: [{ word: 'bourrages', similarity: 0.8 }] },
      { token: 'zzzz', stop: false, known: false, candidates: [{ word: 'zone', similarity: 0.1 }] },
      { token: 'vpm', stop: false, known: false, candidates: [{ word: 'vpn', similarity: 0.33 }] },
      { token: 'otulook', stop: false, known: false, candidates: [{ word: 'outlook', similarity: 0.4 }] },
    ]);
    expect(words).toEqual(['imprimante', 'bourrage', 'zzzz', 'vpm', 'outlook']);
    expect(corrections).toEqual({ imprimente: 'imprimante', otulook: 'outlook' });
  });

  it('counts edits with swaps of neighbours as one', () => {
    expect(editDistance('reseau', 'resaeu')).toBe(1);
    expect(editDistance('outlok', 'outlook')).toBe(1);
    expect(editDistance('imprimente', 'imprime')).toBe(3);
  });

  it('cuts a headline into marked and unmarked segments', () => {
    expect(headlineSegments('le \u0002réseau\u0003 est \u0002lent\u0003.')).toEqual([
      { text: 'le ', match: false },
      { text: 'réseau', match: true },
      { text: ' est ', match: false },
      { text: 'lent', match: true },
      { text: '.', match: false },
    ]);
  });
});
