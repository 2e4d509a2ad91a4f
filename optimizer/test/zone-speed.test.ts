/** The offline travel model: speeds by zone (Paris, petite and grande couronne) and time of day. */
import { describe, expect, it } from 'vitest';
import { ILE_DE_FRANCE_SPEEDS, legTime, periodAt, zoneOf, ZoneSpeedTravelTimeProvider } from '../index.js';

const CHATELET = { lat: 48.8584, lon: 2.347 };
const BASTILLE = { lat: 48.8532, lon: 2.3692 };
const LA_DEFENSE = { lat: 48.8918, lon: 2.2389 };
const SAINT_DENIS = { lat: 48.9362, lon: 2.3574 };
const VERSAILLES = { lat: 48.8049, lon: 2.1204 };
const SAINT_GERMAIN = { lat: 48.8989, lon: 2.0938 };

describe('zoneOf', () => {
  it('places a point by its distance from Notre-Dame', () => {
    expect(zoneOf(CHATELET)).toBe('paris');
    expect(zoneOf(BASTILLE)).toBe('paris');
    expect(zoneOf(LA_DEFENSE)).toBe('petite_couronne');
    expect(zoneOf(SAINT_DENIS)).toBe('petite_couronne');
    expect(zoneOf(VERSAILLES)).toBe('grande_couronne');
  });
});

describe('periodAt', () => {
  it('knows the rush hours and the night, modulo a day', () => {
    expect(periodAt(6 * 60 + 59)).toBe('night');
    expect(periodAt(7 * 60)).toBe('morning_rush');
    expect(periodAt(9 * 60 + 59)).toBe('morning_rush');
    expect(periodAt(12 * 60)).toBe('day');
    expect(periodAt(16 * 60 + 30)).toBe('evening_rush');
    expect(periodAt(19 * 60 + 30)).toBe('day');
    expect(periodAt(21 * 60)).toBe('night');
    expect(periodAt(1440 + 8 * 60)).toBe('morning_rush');
  });
});

describe('legTime', () => {
  it('drives inside Paris at the Paris speed of the period, on the detoured distance', () => {
    const noon = legTime(CHATELET, BASTILLE, 12 * 60);
    expect(noon.km).toBeCloseTo(1.724 * 1.3, 2); // 1.72 km as the crow flies
    expect(noon.minutes).toBeCloseTo((noon.km / ILE_DE_FRANCE_SPEEDS.speedKmh.paris.day) * 60, 6);
    const rush = legTime(CHATELET, BASTILLE, 8 * 60);
    expect(rush.minutes).toBeCloseTo((noon.km / ILE_DE_FRANCE_SPEEDS.speedKmh.paris.morning_rush) * 60, 6);
    expect(legTime(CHATELET, BASTILLE, 23 * 60).minutes).toBeLessThan(noon.minutes);
    expect(legTime(CHATELET, CHATELET, 12 * 60)).toEqual({ km: 0, minutes: 0 });
  });

  it('is slower per km through Paris than between two suburbs of the same crow-fly distance', () => {
    const across = legTime(LA_DEFENSE, { lat: 48.8462, lon: 2.4416 }, 12 * 60); // La Défense → Vincennes, through Paris
    const outer = legTime(VERSAILLES, SAINT_GERMAIN, 12 * 60);
    expect(across.minutes / across.km).toBeGreaterThan(outer.minutes / outer.km);
    // Between the two: part of the leg is in Paris, part in the petite couronne.
    expect(across.minutes).toBeGreaterThan((across.km / ILE_DE_FRANCE_SPEEDS.speedKmh.petite_couronne.day) * 60);
    expect(across.minutes).toBeLessThan((across.km / ILE_DE_FRANCE_SPEEDS.speedKmh.paris.day) * 60);
  });
});

describe('ZoneSpeedTravelTimeProvider', () => {
  it('gives symmetric matrices: one departure time, or the mean over an interval of the day', () => {
    const points = [CHATELET, LA_DEFENSE, VERSAILLES];
    const at8 = new ZoneSpeedTravelTimeProvider({ at: 8 * 60 }).matrices(points);
    const at12 = new ZoneSpeedTravelTimeProvider({ at: 12 * 60 }).matrices(points);
    const day = new ZoneSpeedTravelTimeProvider().matrices(points);
    expect(at8.durations[0 * 3 + 1]).toBeCloseTo(legTime(CHATELET, LA_DEFENSE, 8 * 60).minutes, 9);
    expect(at8.durations[1 * 3 + 0]).toBe(at8.durations[0 * 3 + 1]);
    expect(at8.distances[1 * 3 + 2]).toBeCloseTo(legTime(LA_DEFENSE, VERSAILLES, 0).km, 9);
    // 08:00–18:00: 4 of 20 half-hours in the morning rush, 3 in the evening rush, 13 in the day.
    const mean = (4 * at8.durations[1]! + 3 * legTime(CHATELET, LA_DEFENSE, 17 * 60).minutes + 13 * at12.durations[1]!) / 20;
    expect(day.durations[1]).toBeCloseTo(mean, 9);
    expect(day.durations[0]).toBe(0);
  });
});
