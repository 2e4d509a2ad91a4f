/**
 * Demo knowledge base (issue 11): about thirty French articles for the demo's service types —
 * printers, Wi-Fi, VPN, NAS, Outlook, phishing… — some internal, some for every client, two for
 * one company, a few workarounds; published by the demo admin, written by the demo support agent.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import {
  countArticles,
  findClientIdByName,
  findUserIdByEmail,
  insertArticle,
  publishCurrentVersion,
  setArticleStatus,
} from '../db/repositories/knowledge.repository.js';
import type { ArticleAudience, ArticleKind } from '../workflows/knowledge/knowledge.vocabulary.js';
import { demoEmail } from './seed.js';

interface DemoArticle {
  kind: ArticleKind;
  title: string;
  body: string;
  category: string;
  serviceTypes: string[];
  tags?: string[];
  brands?: string[];
  models?: string[];
  assetKinds?: string[];
  audience: ArticleAudience;
  /** For audience `companies`: the demo company. */
  company?: string;
  /** Left in review (the review queue of the demo). */
  inReview?: boolean;
}

const steps = (...items: string[]) => items.map((s, i) => `${i + 1}. ${s}`).join('\n');

export const DEMO_ARTICLES: DemoArticle[] = [
  {
    kind: 'known_error',
    title: 'Bourrage papier répété sur les imprimantes HP LaserJet',
    category: 'Impression',
    serviceTypes: ['hardware_repair'],
    brands: ['HP'],
    models: ['LaserJet Pro M404'],
    assetKinds: ['printer'],
    tags: ['imprimante', 'bourrage'],
    audience: 'all_clients',
    body: `## Symptôme\nL'imprimante affiche « Bourrage papier » alors qu'aucune feuille n'est coincée, ou bloque toutes les dix pages.\n\n## Cause\nRouleau d'entraînement du bac 2 usé, ou papier trop humide.\n\n## Résolution\n${steps('Éteindre l’imprimante et ouvrir le capot avant.', 'Retirer le bac 2 et vérifier qu’aucun morceau de papier ne reste.', 'Aérer la rame de papier et ne pas remplir le bac au-delà du repère.', 'Si le problème revient, demander le remplacement du rouleau d’entraînement.')}`,
  },
  {
    kind: 'procedure',
    title: 'Ajouter une imprimante réseau sous Windows 11',
    category: 'Impression',
    serviceTypes: ['software_troubleshooting'],
    tags: ['imprimante', 'windows'],
    assetKinds: ['printer', 'workstation'],
    audience: 'all_clients',
    body: steps(
      'Ouvrir **Paramètres › Bluetooth et appareils › Imprimantes et scanners**.',
      'Cliquer sur **Ajouter un appareil** et attendre la détection.',
      'Si l’imprimante n’apparaît pas, choisir « L’imprimante que je veux n’est pas répertoriée » et saisir son adresse IP (étiquette sur l’imprimante).',
      'Imprimer une page de test.',
    ),
  },
  {
    kind: 'faq',
    title: 'Pourquoi mes impressions restent-elles bloquées dans la file d’attente ?',
    category: 'Impression',
    serviceTypes: ['software_troubleshooting'],
    tags: ['imprimante', 'spouleur'],
    audience: 'all_clients',
    body: `Le plus souvent, un document en erreur bloque tous les suivants.\n\n${steps('Ouvrir la file d’attente de l’imprimante.', 'Annuler le premier document en erreur.', 'Si rien ne bouge, redémarrer le poste.')}\n\nSi plusieurs postes sont touchés, l’imprimante elle-même est probablement hors ligne : contactez le support.`,
  },
  {
    kind: 'workaround',
    title: 'Imprimer via le serveur d’impression pendant la panne du pilote Canon',
    category: 'Impression',
    serviceTypes: ['software_troubleshooting'],
    brands: ['Canon'],
    tags: ['imprimante', 'pilote', 'contournement'],
    audience: 'companies',
    company: 'Imprimerie Durand & Fils',
    body: `En attendant la nouvelle version du pilote Canon imageRUNNER, imprimez par le serveur d’impression :\n\n${steps('Ouvrir l’explorateur et taper `\\\\srv-print`.', 'Double-cliquer sur la file « Canon-Atelier ».', 'Imprimer normalement depuis vos applications.')}\n\nLe support vous préviendra dès que le pilote corrigé sera déployé.`,
  },
  {
    kind: 'procedure',
    title: 'Remplacer une cartouche de toner',
    category: 'Impression',
    serviceTypes: ['hardware_repair'],
    tags: ['toner', 'imprimante'],
    assetKinds: ['printer'],
    audience: 'all_clients',
    body: steps(
      'Ouvrir le capot avant.',
      'Tirer la cartouche vide vers soi.',
      'Secouer doucement la nouvelle cartouche et retirer la bande de protection.',
      'L’insérer jusqu’au déclic et refermer le capot.',
    ),
  },
  {
    kind: 'known_error',
    title: 'Le Wi-Fi se déconnecte régulièrement sur les portables',
    category: 'Réseau et Wi-Fi',
    serviceTypes: ['network_configuration'],
    tags: ['wifi', 'sans fil', 'réseau'],
    assetKinds: ['laptop'],
    audience: 'all_clients',
    body: `## Symptôme\nLa connexion sans fil tombe quelques secondes toutes les dix à quinze minutes.\n\n## Cause\nLa gestion d’énergie de la carte Wi-Fi coupe l’adaptateur pour économiser la batterie.\n\n## Résolution\n${steps('Ouvrir le **Gestionnaire de périphériques**.', 'Dans **Cartes réseau**, ouvrir les propriétés de la carte sans fil.', 'Onglet **Gestion de l’alimentation** : décocher « Autoriser l’ordinateur à éteindre ce périphérique ».', 'Redémarrer le portable.')}`,
  },
  {
    kind: 'faq',
    title: 'Comment se connecter au réseau Wi-Fi invité ?',
    category: 'Réseau et Wi-Fi',
    serviceTypes: ['network_configuration'],
    tags: ['wifi', 'invité'],
    audience: 'all_clients',
    body: 'Sélectionnez le réseau **Invités**, ouvrez le navigateur et acceptez les conditions. Le code du jour est affiché à l’accueil ; il change chaque lundi.',
  },
  {
    kind: 'procedure',
    title: 'Redémarrer la borne Wi-Fi Ubiquiti depuis le contrôleur',
    category: 'Réseau et Wi-Fi',
    serviceTypes: ['network_configuration'],
    brands: ['Ubiquiti'],
    models: ['UniFi U6 Lite'],
    tags: ['wifi', 'borne', 'contrôleur'],
    assetKinds: ['network'],
    audience: 'internal',
    body: steps(
      'Se connecter au contrôleur UniFi avec le compte de service (coffre-fort, entrée « UniFi »).',
      'Ouvrir **Appareils**, choisir la borne.',
      'Cliquer sur **Redémarrer** ; compter deux minutes.',
      'Vérifier dans **Clients** que les postes se reconnectent.',
    ),
  },
  {
    kind: 'known_error',
    title: 'Réseau lent le matin : saturation par les mises à jour Windows',
    category: 'Réseau et Wi-Fi',
    serviceTypes: ['network_configuration'],
    tags: ['réseau', 'lenteur', 'windows update'],
    audience: 'internal',
    body: `## Cause\nTous les postes téléchargent les mises à jour à l’allumage.\n\n## Résolution\nActiver l’optimisation de la distribution (pair à pair sur le réseau local) par stratégie de groupe et limiter la bande passante de Windows Update à 30 % aux heures ouvrées.`,
  },
  {
    kind: 'procedure',
    title: 'Se connecter au VPN depuis le domicile',
    category: 'Accès à distance',
    serviceTypes: ['network_configuration', 'security'],
    tags: ['vpn', 'télétravail'],
    audience: 'all_clients',
    body: steps(
      'Lancer **FortiClient VPN**.',
      'Choisir la connexion « Bureau ».',
      'Saisir votre identifiant et votre mot de passe habituels.',
      'Valider la notification sur votre téléphone (double authentification).',
    ),
  },
  {
    kind: 'known_error',
    title: 'Le VPN se connecte mais les lecteurs réseau restent inaccessibles',
    category: 'Accès à distance',
    serviceTypes: ['network_configuration'],
    tags: ['vpn', 'lecteur réseau', 'dns'],
    audience: 'all_clients',
    body: `## Cause\nLe poste utilise encore le DNS de la box du domicile.\n\n## Résolution\n${steps('Se déconnecter du VPN.', 'Redémarrer le poste.', 'Se reconnecter au VPN **avant** d’ouvrir l’explorateur.', 'Si les lecteurs restent absents, ouvrir une demande en précisant votre fournisseur d’accès.')}`,
  },
  {
    kind: 'workaround',
    title: 'VPN indisponible : accéder à la messagerie et aux fichiers par le portail web',
    category: 'Accès à distance',
    serviceTypes: ['network_configuration'],
    tags: ['vpn', 'contournement', 'webmail'],
    audience: 'all_clients',
    body: 'Pendant l’incident VPN, utilisez **https://outlook.office.com** pour la messagerie et **OneDrive / SharePoint** dans le navigateur pour les documents partagés. Les applications métier restent accessibles au bureau uniquement.',
  },
  {
    kind: 'procedure',
    title: 'Renouveler le certificat du VPN SSL sur le pare-feu Fortinet',
    category: 'Accès à distance',
    serviceTypes: ['security'],
    brands: ['Fortinet'],
    models: ['FortiGate 60F'],
    tags: ['vpn', 'certificat', 'pare-feu'],
    assetKinds: ['network'],
    audience: 'internal',
    body: steps(
      'Générer la demande de certificat (CSR) sur le FortiGate.',
      'La faire signer par l’autorité habituelle.',
      'Importer le certificat et l’affecter au portail SSL-VPN.',
      'Tester une connexion depuis l’extérieur avant 18 h.',
    ),
  },
  {
    kind: 'faq',
    title: 'Comment retrouver un fichier supprimé sur le NAS ?',
    category: 'Stockage et sauvegardes',
    serviceTypes: ['data_recovery'],
    tags: ['nas', 'fichier supprimé', 'restauration'],
    brands: ['Synology'],
    audience: 'all_clients',
    body: 'Les dossiers partagés du NAS gardent des **instantanés** toutes les heures pendant 30 jours. Clic droit sur le dossier › **Propriétés › Versions précédentes**, choisissez la date puis **Restaurer**. Au-delà de 30 jours, ouvrez une demande de restauration.',
  },
  {
    kind: 'known_error',
    title: 'NAS Synology inaccessible après une coupure de courant',
    category: 'Stockage et sauvegardes',
    serviceTypes: ['hardware_repair', 'data_recovery'],
    brands: ['Synology'],
    models: ['DS920+'],
    tags: ['nas', 'coupure', 'onduleur'],
    assetKinds: ['server'],
    audience: 'internal',
    body: `## Cause\nLe volume se vérifie après un arrêt brutal ; les partages restent indisponibles pendant la vérification.\n\n## Résolution\n${steps('Ne pas redémarrer le NAS pendant la vérification.', 'Suivre la progression dans **Gestionnaire de stockage**.', 'Vérifier ensuite l’état SMART des disques.', 'Proposer au client un onduleur relié au NAS par USB.')}`,
  },
  {
    kind: 'procedure',
    title: 'Vérifier que la sauvegarde de la nuit s’est bien déroulée',
    category: 'Stockage et sauvegardes',
    serviceTypes: ['data_recovery'],
    tags: ['sauvegarde', 'nas'],
    audience: 'internal',
    body: steps(
      'Ouvrir Hyper Backup sur le NAS.',
      'Contrôler l’heure et le statut de la dernière tâche.',
      'En cas d’échec, lire le journal et relancer la tâche.',
      'Consigner le résultat dans la fiche du client.',
    ),
  },
  {
    kind: 'known_error',
    title: 'Outlook ne synchronise plus les messages (boîte Microsoft 365)',
    category: 'Messagerie',
    serviceTypes: ['software_troubleshooting'],
    brands: ['Microsoft'],
    tags: ['outlook', 'messagerie', 'synchronisation'],
    audience: 'all_clients',
    body: `## Symptôme\nLes nouveaux messages n’arrivent plus dans Outlook alors qu’ils sont visibles sur le webmail.\n\n## Résolution\n${steps('Fermer Outlook.', 'Ouvrir **Panneau de configuration › Courrier › Afficher les profils**.', 'Créer un nouveau profil et le définir par défaut.', 'Relancer Outlook : la synchronisation reprend (quelques minutes pour une grosse boîte).')}`,
  },
  {
    kind: 'faq',
    title: 'Ma boîte aux lettres Outlook est pleine : que faire ?',
    category: 'Messagerie',
    serviceTypes: ['software_troubleshooting'],
    tags: ['outlook', 'quota', 'archivage'],
    audience: 'all_clients',
    body: 'Videz le dossier **Éléments supprimés**, puis activez l’**archivage en ligne** (menu Fichier › Outils › Nettoyer les anciens éléments). Les pièces jointes volumineuses peuvent être enregistrées sur OneDrive et supprimées du message.',
  },
  {
    kind: 'procedure',
    title: 'Configurer une signature de messagerie dans Outlook',
    category: 'Messagerie',
    serviceTypes: ['software_troubleshooting'],
    tags: ['outlook', 'signature'],
    audience: 'all_clients',
    body: steps(
      'Fichier › Options › Courrier › **Signatures**.',
      'Cliquer sur **Nouveau** et coller le modèle de signature de votre société.',
      'Choisir la signature par défaut pour les nouveaux messages et les réponses.',
    ),
  },
  {
    kind: 'known_error',
    title: 'Outlook demande le mot de passe en boucle',
    category: 'Messagerie',
    serviceTypes: ['software_troubleshooting', 'security'],
    tags: ['outlook', 'mot de passe', 'authentification moderne'],
    audience: 'internal',
    body: `## Cause\nIdentifiants anciens enregistrés dans le Gestionnaire d’identification Windows.\n\n## Résolution\nSupprimer les entrées « MicrosoftOffice16 » du Gestionnaire d’identification, puis relancer Outlook et se connecter une fois avec la double authentification.`,
  },
  {
    kind: 'faq',
    title: 'Comment reconnaître un e-mail d’hameçonnage (phishing) ?',
    category: 'Sécurité',
    serviceTypes: ['security'],
    tags: ['phishing', 'hameçonnage', 'sécurité'],
    audience: 'all_clients',
    body: `Méfiez-vous d’un message qui :\n\n- vous presse (« votre compte sera suspendu aujourd’hui ») ;\n- demande un mot de passe ou un paiement ;\n- vient d’une adresse qui ressemble à celle d’un partenaire sans être la bonne ;\n- contient un lien dont l’adresse, au survol, ne correspond pas au texte.\n\nEn cas de doute, ne cliquez pas : utilisez le bouton **Signaler** d’Outlook.`,
  },
  {
    kind: 'procedure',
    title: 'J’ai cliqué sur un lien d’hameçonnage : les gestes immédiats',
    category: 'Sécurité',
    serviceTypes: ['security'],
    tags: ['phishing', 'incident', 'mot de passe'],
    audience: 'all_clients',
    body: steps(
      'Débrancher le câble réseau ou couper le Wi-Fi du poste.',
      'Ne pas éteindre le poste.',
      'Changer votre mot de passe depuis un autre appareil.',
      'Appeler le support immédiatement (priorité critique).',
    ),
  },
  {
    kind: 'procedure',
    title: 'Traiter un signalement d’hameçonnage (support)',
    category: 'Sécurité',
    serviceTypes: ['security'],
    tags: ['phishing', 'microsoft 365', 'purge'],
    audience: 'internal',
    body: steps(
      'Récupérer le message signalé dans le portail Defender.',
      'Rechercher les autres destinataires et purger le message.',
      'Bloquer l’expéditeur et les URL.',
      'Si un utilisateur a saisi son mot de passe : réinitialisation, révocation des sessions, contrôle des règles de transfert.',
    ),
  },
  {
    kind: 'known_error',
    title: 'Poste très lent au démarrage après une mise à jour',
    category: 'Postes de travail',
    serviceTypes: ['software_troubleshooting', 'hardware_upgrade'],
    tags: ['lenteur', 'démarrage', 'disque'],
    assetKinds: ['workstation', 'laptop'],
    audience: 'all_clients',
    body: `## Cause\nDisque mécanique saturé ou trop de programmes au démarrage.\n\n## Résolution\n${steps('Ouvrir le **Gestionnaire des tâches › Démarrage** et désactiver les programmes inutiles.', 'Laisser le poste allumé une heure pour terminer la mise à jour.', 'Si le disque reste à 100 %, demander le passage à un SSD.')}`,
  },
  {
    kind: 'faq',
    title: 'Mon écran reste noir au démarrage du poste',
    category: 'Postes de travail',
    serviceTypes: ['hardware_repair'],
    tags: ['écran noir', 'démarrage'],
    assetKinds: ['workstation'],
    audience: 'all_clients',
    body: 'Vérifiez que l’écran est allumé et sur la bonne entrée (HDMI / DisplayPort), puis que le câble est bien branché des deux côtés. Si le voyant du poste est orange ou clignote, ouvrez une demande en indiquant la couleur du voyant.',
  },
  {
    kind: 'procedure',
    title: 'Remplacer le disque d’un portable par un SSD et cloner le système',
    category: 'Postes de travail',
    serviceTypes: ['hardware_upgrade'],
    brands: ['Dell', 'Lenovo'],
    tags: ['ssd', 'clonage'],
    assetKinds: ['laptop'],
    audience: 'internal',
    body: steps(
      'Suspendre BitLocker et noter la clé de récupération.',
      'Cloner le disque vers le SSD avec la station de clonage.',
      'Monter le SSD, démarrer, vérifier l’activation Windows.',
      'Réactiver BitLocker.',
    ),
  },
  {
    kind: 'faq',
    title: 'Comment réinitialiser mon mot de passe ?',
    category: 'Comptes et accès',
    serviceTypes: ['security'],
    tags: ['mot de passe', 'compte'],
    audience: 'all_clients',
    body: 'Rendez-vous sur **https://passwordreset.microsoftonline.com**, saisissez votre adresse professionnelle et suivez les étapes (code reçu par SMS ou dans l’application Authenticator). Le nouveau mot de passe doit compter au moins 12 caractères.',
  },
  {
    kind: 'workaround',
    title: 'Téléphone Authenticator perdu : se connecter avec un code temporaire',
    category: 'Comptes et accès',
    serviceTypes: ['security'],
    tags: ['double authentification', 'mfa', 'contournement'],
    audience: 'all_clients',
    inReview: true,
    body: 'Le support peut vous délivrer un **code d’accès temporaire** valable 8 heures, après vérification de votre identité par téléphone. Il permet d’enregistrer un nouveau téléphone.',
  },
  {
    kind: 'known_error',
    title: 'Logiciel de caisse : le terminal de paiement n’est plus détecté',
    category: 'Applications métier',
    serviceTypes: ['hardware_repair', 'software_troubleshooting'],
    tags: ['caisse', 'tpe', 'usb'],
    audience: 'companies',
    company: 'Boulangeries Moreau',
    body: `## Résolution\n${steps('Débrancher puis rebrancher le câble USB du terminal.', 'Redémarrer le logiciel de caisse.', 'Si le terminal reste absent, utiliser le mode autonome du terminal et ouvrir une demande.')}`,
  },
  {
    kind: 'faq',
    title: 'Comment suivre l’avancement de ma demande d’assistance ?',
    category: 'Utiliser le support',
    serviceTypes: [],
    tags: ['suivi', 'ticket', 'portail'],
    audience: 'all_clients',
    body: 'Chaque demande reçoit un numéro (INT-…) confirmé par e-mail. Dans le portail, **Mes demandes** affiche son statut : Nouvelle demande, En cours d’analyse, Solution proposée, Résolu, Fermé.',
  },
];

/** Seeds the demo articles once (nothing happens when any article exists); returns how many were written. */
export async function seedKnowledgeBase(db: Kysely<DB>): Promise<number> {
  if ((await countArticles(db)) > 0) return 0;
  const author = await findUserIdByEmail(db, demoEmail('support_agent'));
  const reviewer = await findUserIdByEmail(db, demoEmail('admin'));
  await db.transaction().execute(async (trx) => {
    for (const a of DEMO_ARTICLES) {
      const companyId = a.company ? await findClientIdByName(trx, a.company) : null;
      if (a.company && !companyId) continue;
      const { id } = await insertArticle(trx, {
        content: {
          kind: a.kind,
          language: 'fr',
          title: a.title,
          body: a.body,
          category: a.category,
          serviceTypes: a.serviceTypes,
          brands: a.brands ?? [],
          models: a.models ?? [],
          assetKinds: a.assetKinds ?? [],
          tags: a.tags ?? [],
        },
        audience: a.audience,
        audienceClientIds: companyId ? [companyId] : [],
        authorUserId: author ?? null,
        changeNote: 'Première rédaction',
      });
      if (a.inReview) {
        await setArticleStatus(trx, id, { status: 'review', at: new Date() });
      } else {
        await publishCurrentVersion(trx, id, { reviewerUserId: reviewer ?? null, at: new Date() });
      }
    }
  });
  return DEMO_ARTICLES.length;
}
