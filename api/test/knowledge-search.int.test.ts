/**
 * The knowledge base on the real database: French search (accents, plurals, conjugations, a
 * typo, title above body), row-level security for every role, and an immutable history.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { deleteVersion, findVersion, rankedArticleIdsUnchecked, rewriteVersionTitle } from '../../db/repositories/knowledge.repository.js';
import { enterScope } from '../auth/access.js';
import { articleDetail, createArticle, moveArticle, reviseArticle, type ArticleInput } from '../knowledge/articles.js';
import { searchKnowledge } from '../knowledge/search.js';
import type { Principal, Role } from '../routing.js';
import { createTestAccount, createTestClient } from '../../scripts/testing/fixtures.js';
import { testDb } from '../../scripts/testing/env.js';

let db: Kysely<DB>;
/** A word no other article has, so each search below sees this file's articles only. */
const marker = `zq${Array.from({ length: 6 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;
const principals = {} as Record<'clientA' | 'clientAdminA' | 'clientB' | Exclude<Role, 'client_user' | 'client_admin'>, Principal>;
const ids = {} as Record<'wifi' | 'internal' | 'companyA' | 'draft' | 'printerTitle' | 'printerBody' | 'outlook', string>;

function as<T>(principal: Principal, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterScope(trx, principal);
    return fn(trx);
  });
}

function input(title: string, body: string, extra: Partial<ArticleInput> = {}): ArticleInput {
  return {
    content: {
      kind: 'faq',
      language: 'fr',
      title,
      body: `${body}\n\nRéférence ${marker}.`,
      category: 'Réseau',
      serviceTypes: ['network_configuration'],
      brands: [],
      models: [],
      assetKinds: [],
      tags: [],
    },
    audience: 'all_clients',
    audienceClientIds: [],
    ...extra,
  };
}

const search = (principal: Principal, q: string) =>
  as(principal, (tx) => searchKnowledge(tx, principal, { q: `${q}`, filters: {}, limit: 20, mode: 'search', record: false }));
const found = async (principal: Principal, q: string) => (await search(principal, q)).items.map((i) => i.id);

/** Writes, submits and publishes an article (the reviewer is another account than the author). */
async function published(article: ArticleInput): Promise<string> {
  const { id } = await as(principals.support_agent, (tx) => createArticle(tx, principals.support_agent, article));
  await as(principals.support_agent, (tx) => moveArticle(tx, principals.support_agent, id, 'submit', null));
  await as(principals.dispatcher, (tx) => moveArticle(tx, principals.dispatcher, id, 'publish', null));
  return id;
}

beforeAll(async () => {
  db = testDb();
  const a = await createTestClient(db);
  const b = await createTestClient(db);
  const principal = async (role: Role, clientId?: string): Promise<Principal> => {
    const account = await createTestAccount(db, role, clientId ? { clientId } : {});
    return { userId: account.userId, role, clientId: clientId ?? null, technicianId: account.technicianId };
  };
  principals.clientA = await principal('client_user', a.clientId);
  principals.clientAdminA = await principal('client_admin', a.clientId);
  principals.clientB = await principal('client_user', b.clientId);
  for (const role of ['support_agent', 'dispatcher', 'technician', 'finance', 'admin'] as const) principals[role] = await principal(role);

  ids.wifi = await published(
    input('Le réseau Wi-Fi se coupe toutes les dix minutes', 'Les postes perdent la connexion sans fil. Redémarrer la borne.'),
  );
  ids.internal = await published(
    input('Procédure interne : redémarrer le contrôleur réseau', 'Se connecter au contrôleur avec le compte de service.', {
      audience: 'internal',
    }),
  );
  ids.companyA = await published(
    input('Réseau invité du siège', 'Le mot de passe du réseau invité change chaque lundi.', {
      audience: 'companies',
      audienceClientIds: [a.clientId],
    }),
  );
  const draft = await as(principals.support_agent, (tx) =>
    createArticle(tx, principals.support_agent, input('Brouillon sur le réseau', 'Pas encore relu.')),
  );
  ids.draft = draft.id;
  ids.printerTitle = await published(
    input('Bourrage papier sur l’imprimante', 'Ouvrir le capot avant et retirer la feuille coincée.', { audience: 'internal' }),
  );
  ids.printerBody = await published(
    input(
      'Le bac 2 ne se ferme plus',
      'Vérifier le rail du bac. Ce problème survient parfois après un bourrage mal retiré sur les imprimantes du service.',
      { audience: 'internal' },
    ),
  );
  ids.outlook = await published(
    input(
      'Outlook ne synchronise plus la boîte aux lettres',
      'Quand Outlook a synchronisé la dernière fois il y a plus d’une heure, recréer le profil. L’imprimante n’imprime plus ? Voir l’autre article.',
      { audience: 'internal' },
    ),
  );
});

afterAll(async () => {
  await db?.destroy();
});

describe('French search', () => {
  it('matches across accents: réseau, reseau, RÉSEAU', async () => {
    for (const q of ['réseau', 'reseau', 'RÉSEAU', 'Réseau Wi-Fi'])
      expect(await found(principals.support_agent, `${q} ${marker}`)).toContain(ids.wifi);
  });

  it('matches plurals: réseaux, imprimantes, coupures', async () => {
    expect(await found(principals.support_agent, `réseaux ${marker}`)).toContain(ids.wifi);
    expect(await found(principals.support_agent, `reseaux ${marker}`)).toContain(ids.wifi);
    expect(await found(principals.support_agent, `imprimantes ${marker}`)).toContain(ids.printerTitle);
  });

  it('matches conjugations: synchroniser / synchronisé, imprimer / imprime, coupé', async () => {
    expect(await found(principals.support_agent, `synchroniser ${marker}`)).toContain(ids.outlook);
    expect(await found(principals.support_agent, `synchronisée ${marker}`)).toContain(ids.outlook);
    expect(await found(principals.support_agent, `imprimer ${marker}`)).toContain(ids.outlook);
    expect(await found(principals.support_agent, `coupé ${marker}`)).toContain(ids.wifi);
  });

  it('tolerates a one-letter typo (imprimente, Outlok, resau)', async () => {
    const result = await search(principals.support_agent, `imprimente ${marker}`);
    expect(result.corrections).toEqual({ imprimente: 'imprimante' });
    expect(result.items.map((i) => i.id)).toContain(ids.printerTitle);
    expect(await found(principals.support_agent, `Outlok ${marker}`)).toContain(ids.outlook);
    expect(await found(principals.support_agent, `resau ${marker}`)).toContain(ids.wifi);
  });

  it('ranks a title match above a body match', async () => {
    const hits = await found(principals.support_agent, `bourrage ${marker}`);
    expect(hits).toContain(ids.printerBody);
    expect(hits.indexOf(ids.printerTitle)).toBeLessThan(hits.indexOf(ids.printerBody));
  });

  it('falls back to any word when no article has all of them, and highlights the matched words', async () => {
    const result = await search(principals.support_agent, `borne ${marker} xylophone`);
    expect(result.matched).toBe('any');
    const hit = result.items.find((i) => i.id === ids.wifi)!;
    expect(hit.snippet.filter((s) => s.match).map((s) => s.text.toLowerCase())).toContain('borne');
  });
});

describe('who reads what (row-level security)', () => {
  const everything = () => [ids.wifi, ids.internal, ids.companyA, ids.draft, ids.printerTitle, ids.printerBody, ids.outlook];
  const publishedOnes = () => [ids.wifi, ids.internal, ids.companyA, ids.printerTitle, ids.printerBody, ids.outlook];
  const expected: Record<keyof typeof principals, () => string[]> = {
    support_agent: everything,
    dispatcher: everything,
    admin: everything,
    // A technician reads company articles only of the companies they serve (none here).
    technician: () => publishedOnes().filter((id) => id !== ids.companyA),
    finance: publishedOnes,
    clientA: () => [ids.wifi, ids.companyA],
    clientAdminA: () => [ids.wifi, ids.companyA],
    clientB: () => [ids.wifi],
  };

  for (const [who, visible] of Object.entries(expected) as [keyof typeof principals, () => string[]][]) {
    it(`${who} finds exactly the articles it may read`, async () => {
      const hits = await found(principals[who], marker);
      expect(hits.sort()).toEqual(visible().sort());
    });

    it(`${who}: the ranking function (owner's rights, GIN index) applies the same rule by itself`, async () => {
      const ranked = await as(principals[who], (tx) => rankedArticleIdsUnchecked(tx, marker));
      expect(ranked.sort()).toEqual(visible().sort());
    });
  }

  it('a client cannot open an internal, another company’s or an unpublished article', async () => {
    for (const id of [ids.internal, ids.draft, ids.printerTitle]) {
      await expect(as(principals.clientB, (tx) => articleDetail(tx, principals.clientB, id))).rejects.toThrow(/not found/);
    }
    await expect(as(principals.clientB, (tx) => articleDetail(tx, principals.clientB, ids.companyA))).rejects.toThrow(/not found/);
    expect((await as(principals.clientA, (tx) => articleDetail(tx, principals.clientA, ids.companyA))).content.title).toBe(
      'Réseau invité du siège',
    );
  });

  it('a client cannot write an article', async () => {
    await expect(as(principals.clientA, (tx) => createArticle(tx, principals.clientA, input('Pirate', 'x')))).rejects.toThrow(
      /row-level security/,
    );
  });
});

describe('version history', () => {
  it('an edit of a published article is a new version; readers keep the published one until it is published', async () => {
    const id = await published(input('Redémarrer la box 4G', `Débrancher la box ${marker}.`));
    await as(principals.support_agent, (tx) =>
      reviseArticle(tx, principals.support_agent, id, { ...input('Redémarrer la box 5G', 'Nouvelle procédure.'), changeNote: 'box 5G' }),
    );
    const client = await as(principals.clientA, (tx) => articleDetail(tx, principals.clientA, id));
    expect(client.content.title).toBe('Redémarrer la box 4G');
    expect(client.version).toBe(1);
    // The client does not read the unpublished version 2 either.
    expect(await as(principals.clientA, (tx) => findVersion(tx, id, 2))).toBeUndefined();
    const staff = await as(principals.support_agent, (tx) => articleDetail(tx, principals.support_agent, id));
    expect(staff.status).toBe('draft');
    expect(staff.versions.map((v) => v.version)).toEqual([2, 1]);
    await as(principals.support_agent, (tx) => moveArticle(tx, principals.support_agent, id, 'submit', null));
    await as(principals.admin, (tx) => moveArticle(tx, principals.admin, id, 'publish', null));
    expect((await as(principals.clientA, (tx) => articleDetail(tx, principals.clientA, id))).content.title).toBe('Redémarrer la box 5G');
    expect((await as(principals.admin, (tx) => findVersion(tx, id, 1)))!.title).toBe('Redémarrer la box 4G');
  });

  it('a stored version is never rewritten nor removed, not even by the owner connection', async () => {
    const v1 = (await findVersion(db, ids.wifi, 1))!;
    await expect(rewriteVersionTitle(db, v1.id, 'Autre titre')).rejects.toThrow(/immutable/);
    await expect(deleteVersion(db, v1.id)).rejects.toThrow(/immutable/);
    await expect(as(principals.admin, (tx) => rewriteVersionTitle(tx, v1.id, 'Autre titre'))).rejects.toThrow(/immutable/);
    expect((await findVersion(db, ids.wifi, 1))!.title).toBe('Le réseau Wi-Fi se coupe toutes les dix minutes');
  });

  it('the author does not publish their own version; a reviewer does', async () => {
    const { id } = await as(principals.support_agent, (tx) => createArticle(tx, principals.support_agent, input('Auto-relu', 'x')));
    await as(principals.support_agent, (tx) => moveArticle(tx, principals.support_agent, id, 'submit', null));
    await expect(as(principals.support_agent, (tx) => moveArticle(tx, principals.support_agent, id, 'publish', null))).rejects.toThrow(
      /does not review/,
    );
    await expect(as(principals.dispatcher, (tx) => moveArticle(tx, principals.dispatcher, id, 'submit', null))).rejects.toThrow(
      /cannot submit/,
    );
    const done = await as(principals.dispatcher, (tx) => moveArticle(tx, principals.dispatcher, id, 'publish', null));
    expect(done.status).toBe('published');
    expect(done.reviewerUserId).toBe(principals.dispatcher.userId);
  });
});
