/**
 * `npm run bench:kb`: the knowledge-base search on 10,000 generated French articles, in a
 * PostgreSQL of its own (embedded, deleted at the end; or BENCH_DATABASE_URL). Prints the search
 * latency (p50/p95/max, whole use case: vocabulary look-up + ranked search + headlines, as a
 * client under row-level security and as support) and the size of the table and its indexes;
 * writes bench/results/kb-latest.md. Goal: p95 ≤ 50 ms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createDb, migrateToLatest, type DB } from '../db/index.js';
import {
  analyzeKnowledgeBase,
  existingBenchClients,
  insertArticle,
  knowledgeBaseSizes,
  publishCurrentVersion,
} from '../db/repositories/knowledge.repository.js';
import { enterScope } from '../api/auth/access.js';
import { searchKnowledge } from '../api/knowledge/search.js';
import type { Principal } from '../api/routing.js';
import { SERVICE_TYPES } from '../workflows/intervention/intervention.vocabulary.js';
import type { ArticleAudience, ArticleKind } from '../workflows/knowledge/knowledge.vocabulary.js';
import { startPostgres } from './postgres.js';

const ARTICLES = Number(process.env.BENCH_KB_ARTICLES ?? 10_000);
const ROUNDS = 5;

/** A small seeded generator (mulberry32): the same articles every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  'L’imprimante',
  'Le Wi-Fi',
  'Le VPN',
  'Le NAS',
  'Outlook',
  'La messagerie',
  'Le poste',
  'Le portable',
  'L’écran',
  'Le scanner',
  'Le serveur de fichiers',
  'La borne Wi-Fi',
  'Le pare-feu',
  'Le téléphone IP',
  'Teams',
  'OneDrive',
  'Le lecteur réseau',
  'La sauvegarde',
  'Le logiciel de caisse',
  'Le terminal de paiement',
  'Le switch',
  'La box fibre',
  'L’antivirus',
  'Excel',
  'Le copieur',
];
const SYMPTOMS = [
  'ne répond plus',
  'se déconnecte régulièrement',
  'est très lent',
  'affiche une erreur',
  'ne démarre plus',
  'refuse le mot de passe',
  'n’imprime plus',
  'ne synchronise plus',
  'redémarre en boucle',
  'perd la connexion',
  'bloque au démarrage',
  'est inaccessible',
  'affiche un écran noir',
  'fait un bruit anormal',
  'ne reconnaît plus le périphérique',
  'signale un certificat expiré',
];
const SENTENCES = [
  'Redémarrer l’appareil et vérifier les voyants.',
  'Vérifier le câble réseau et la prise murale.',
  'Mettre à jour le pilote depuis le site du constructeur.',
  'Contrôler l’espace disque disponible.',
  'Supprimer le profil et le recréer.',
  'Vérifier que le compte n’est pas verrouillé.',
  'Consulter le journal des événements Windows.',
  'Tester depuis un autre poste pour isoler la panne.',
  'Réinitialiser les paramètres réseau.',
  'Vider le cache du navigateur.',
  'Remplacer la cartouche ou le tambour.',
  'Désactiver temporairement l’économie d’énergie.',
  'Renouveler le bail DHCP avec ipconfig.',
  'Vérifier la configuration DNS.',
  'Contrôler la température et la ventilation.',
  'Appliquer les dernières mises à jour de sécurité.',
  'Signaler le message suspect au support.',
  'Restaurer la version précédente du fichier.',
  'Vérifier l’état SMART des disques.',
  'Changer le canal radio de la borne.',
  'Réattribuer la licence Microsoft 365.',
  'Relancer le service de spouleur d’impression.',
  'Vérifier la date d’expiration du certificat.',
  'Brancher l’onduleur et tester la batterie.',
];
const BRANDS = ['HP', 'Canon', 'Brother', 'Dell', 'Lenovo', 'Synology', 'QNAP', 'Ubiquiti', 'Fortinet', 'Cisco', 'Microsoft', 'Ricoh'];
const KINDS: ArticleKind[] = ['known_error', 'procedure', 'faq', 'workaround'];

/** Queries people type: single words, phrases, accents dropped, plurals, conjugations, typos, nothing. */
const QUERIES = [
  'imprimante',
  'imprimantes bloquées',
  'reseau lent',
  'réseau',
  'wifi deconnexion',
  'Wi-Fi se déconnecte',
  'vpn',
  'vpn certificat expiré',
  'outlook synchronise pas',
  'outlok',
  'imprimente',
  'mot de passe refusé',
  'ecran noir au demarrage',
  'NAS inaccessible',
  'sauvegarde',
  'le poste redémarre en boucle',
  'scanner',
  'pilote imprimante canon',
  'messagerie lente',
  'teams micro',
  'terminal de paiement',
  'cartouche',
  'spouleur',
  'disque plein',
  'pare-feu',
  'licence microsoft 365',
  'dns',
  'box fibre coupée',
  'antivirus alerte',
  'hameçonnage',
  'Mon imprimante HP n’imprime plus depuis ce matin et affiche une erreur',
  'copieur ricoh',
  'onduleur batterie',
  'téléportation quantique',
];

async function generate(db: Kysely<DB>, count: number, clientIds: string[]) {
  const random = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const started = Date.now();
  const batch = 250;
  for (let i = 0; i < count; i += batch) {
    await db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(count, i + batch); j++) {
        const subject = pick(SUBJECTS);
        const symptom = pick(SYMPTOMS);
        const sentences = Array.from({ length: 6 + Math.floor(random() * 10) }, () => pick(SENTENCES));
        const roll = random();
        const audience: ArticleAudience = roll < 0.3 ? 'internal' : roll < 0.9 ? 'all_clients' : 'companies';
        const { id } = await insertArticle(trx, {
          content: {
            kind: pick(KINDS),
            language: 'fr',
            title: `${subject} ${symptom} (${j})`,
            body: `## Symptôme\n${subject} ${symptom}.\n\n## Résolution\n${sentences.map((s, n) => `${n + 1}. ${s}`).join('\n')}`,
            category: null,
            serviceTypes: [pick(SERVICE_TYPES)],
            brands: [pick(BRANDS)],
            models: [],
            assetKinds: [],
            tags: [],
          },
          audience,
          audienceClientIds: audience === 'companies' ? [pick(clientIds)] : [],
          authorUserId: null,
        });
        if (random() < 0.9) await publishCurrentVersion(trx, id, { reviewerUserId: null, at: new Date() });
      }
    });
  }
  return Date.now() - started;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(db: Kysely<DB>, principal: Principal) {
  const times: number[] = [];
  const results: { query: string; hits: number; ms: number }[] = [];
  const run = (q: string) =>
    db.transaction().execute(async (trx) => {
      await enterScope(trx, principal);
      return searchKnowledge(trx, principal, { q, filters: {}, limit: 20, mode: 'search', record: false });
    });
  for (const q of QUERIES) await run(q); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of QUERIES) {
      const t = performance.now();
      const result = await run(q);
      const ms = performance.now() - t;
      times.push(ms);
      if (round === 0) results.push({ query: q, hits: result.items.length, ms });
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)!, n: times.length, results };
}

async function main() {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'fsp-bench-kb-'));
  const pg = await startPostgres({
    databaseUrl: process.env.BENCH_DATABASE_URL,
    dataDir: path.join(scratch, 'pg'),
    database: `bench_kb_${randomUUID().slice(0, 8).replaceAll('-', '')}`,
    persistent: false,
    log: () => {},
  });
  const db = createDb({ connectionString: pg.url, max: 2, applicationName: 'bench-kb' });
  try {
    await migrateToLatest(db);
    // With BENCH_DATABASE_URL, a database already holding the articles is measured again as is
    // (to compare query plans without generating for minutes).
    const existing = await existingBenchClients(db);
    const clientIds = existing.count >= ARTICLES ? existing.clientIds : Array.from({ length: 20 }, () => randomUUID());
    const generateMs = existing.count >= ARTICLES ? null : await generate(db, ARTICLES, clientIds);
    await analyzeKnowledgeBase(db);
    const sizes = await knowledgeBaseSizes(db);
    const loadBefore = os.loadavg();
    const asClient = await measure(db, { userId: randomUUID(), role: 'client_user', clientId: clientIds[0]!, technicianId: null });
    const asSupport = await measure(db, { userId: randomUUID(), role: 'support_agent', clientId: null, technicianId: null });
    const loadAfter = os.loadavg();
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB; load average (1/5/15 min) ${load(loadBefore)} before the measures, ${load(loadAfter)} after`;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const fmt = (r: typeof asClient) =>
      `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (${r.n} searches)`;
    const lines = [
      `# Knowledge-base search benchmark`,
      '',
      `${ARTICLES} generated French articles (90 % published; 30 % internal, 60 % all clients, 10 % one company), ${generateMs === null ? 'generated by an earlier run' : `generated in ${(generateMs / 1000).toFixed(1)} s`}.`,
      `Machine: ${machine}.`,
      `${QUERIES.length} queries × ${ROUNDS} rounds after a warm-up, whole use case (vocabulary look-up, ranked search, fallback to any word, headlines of the top 20).`,
      '',
      `- as a client (row-level security): ${fmt(asClient)}`,
      `- as support (every article): ${fmt(asSupport)}`,
      `- table kb_articles: ${mb(sizes.table)} (heap + TOAST); search GIN index ${mb(sizes.searchIndex)}; title trigram index ${mb(sizes.titleTrigramIndex)}; vocabulary ${sizes.words} words, trigram index ${mb(sizes.wordsIndex)}`,
      '',
      '| query | hits (client) | ms |',
      '|---|---|---|',
      ...asClient.results.map((r) => `| ${r.query} | ${r.hits} | ${r.ms.toFixed(1)} |`),
    ];
    console.log(lines.join('\n'));
    writeFileSync(
      path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'bench', 'results', 'kb-latest.md'),
      `${lines.join('\n')}\n`,
    );
  } finally {
    await db.destroy();
    await pg.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
