/**
 * From tickets to knowledge: "document this solution" on a resolved request (a draft pre-filled
 * from the problem, the diagnosis, the actions and the report, linked to the request), the
 * articles used to solve a request, and a workaround attached to a request that stays open
 * (the client is told by email; the request shows "workaround in place"; its SLA clock runs on).
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import {
  findArticle,
  findRequestId,
  insertArticle,
  linkRequest,
  listRequestArticles,
  requestKnowledgeSource,
} from '../../db/repositories/knowledge.repository.js';
import { clientStatusOf, SERVICE_TYPES } from '../../workflows/intervention/intervention.contract.js';
import { workaroundNoticeWorkflowId, type WorkaroundNoticeInput } from '../../workflows/knowledge/workaround-notice.contract.js';
import { HttpError, notFound } from '../errors.js';
import type { Principal } from '../routing.js';

const DIAGNOSIS = /diagnos|triage|escalat|test/;
const ACTIONS = /action|solution|part|log|check/;

/** The draft's Markdown: the request's facts under the headings a known-error article has. */
export function draftFromRequest(source: NonNullable<Awaited<ReturnType<typeof requestKnowledgeSource>>>): {
  title: string;
  body: string;
} {
  const { request, events, report } = source;
  const said = (e: (typeof events)[number]) => e.message ?? (typeof e.payload.text === 'string' ? e.payload.text : null);
  const kindOf = (e: (typeof events)[number]) => `${e.kind} ${typeof e.payload.kind === 'string' ? e.payload.kind : ''}`;
  const diagnosis = events.filter((e) => DIAGNOSIS.test(kindOf(e)) && said(e)).map(said);
  const actions = events.filter((e) => !DIAGNOSIS.test(kindOf(e)) && ACTIONS.test(kindOf(e)) && said(e)).map(said);
  const bullets = (items: (string | null)[], none: string) => (items.length ? items.map((i) => `- ${i}`).join('\n') : none);
  const sections = [
    `## Problème\n\n${request.description}`,
    request.attemptedSolutions ? `Déjà essayé par l'utilisateur : ${request.attemptedSolutions}` : '',
    `## Cause / diagnostic\n\n${bullets(diagnosis, '_À compléter._')}`,
    `## Résolution\n\n${actions.length ? actions.map((a, i) => `${i + 1}. ${a}`).join('\n') : '1. _À compléter._'}`,
    report
      ? `## Rapport d'intervention\n\n${report.summary}${report.recommendations.length ? `\n\nRecommandations :\n${bullets(report.recommendations, '')}` : ''}`
      : '',
    `_Rédigé à partir de la demande ${request.ticketNumber}._`,
  ];
  return { title: request.title, body: sections.filter(Boolean).join('\n\n') };
}

export async function documentSolution(db: Kysely<DB>, principal: Principal | null, ticketNumber: string) {
  const source = await requestKnowledgeSource(db, ticketNumber);
  if (!source) throw notFound(`request ${ticketNumber}`);
  const { request } = source;
  if (request.status === 'cancelled' || !['resolved', 'closed'].includes(clientStatusOf(request.status))) {
    throw new HttpError(409, 'invalid_transition', `request ${ticketNumber} is not resolved (${request.status}): document it once solved`);
  }
  const { title, body } = draftFromRequest(source);
  const device = request.deviceDetails as { brand?: unknown; model?: unknown };
  const created = await insertArticle(db, {
    content: {
      kind: 'known_error',
      language: 'fr',
      title,
      body,
      category: null,
      serviceTypes: (SERVICE_TYPES as readonly string[]).includes(request.serviceType) ? [request.serviceType] : [],
      brands: typeof device.brand === 'string' && device.brand ? [device.brand] : [],
      models: typeof device.model === 'string' && device.model ? [device.model] : [],
      assetKinds: source.assetKind ? [source.assetKind] : [],
      tags: [],
    },
    audience: 'internal',
    audienceClientIds: [],
    authorUserId: principal?.userId ?? null,
    changeNote: `Rédigé à partir de ${ticketNumber}`,
  });
  await linkRequest(db, { articleId: created.id, requestId: request.id, relation: 'documented_from', userId: principal?.userId ?? null });
  await linkRequest(db, { articleId: created.id, requestId: request.id, relation: 'solved_by', userId: principal?.userId ?? null });
  return created;
}

const OPEN = (status: string) => !['validated', 'invoiced', 'survey', 'closed', 'cancelled'].includes(status);

export async function requestArticles(db: Kysely<DB>, ticketNumber: string) {
  const request = await findRequestId(db, ticketNumber);
  if (!request) throw notFound(`request ${ticketNumber}`);
  const items = await listRequestArticles(db, request.id);
  return { workaroundInPlace: OPEN(request.status) && items.some((i) => i.relation === 'workaround'), items };
}

/**
 * Links an article to a request. A workaround goes on an open request only, with an article the
 * client may read (published, for them); the client is then emailed once.
 */
export async function linkArticle(
  deps: { temporal: Client; taskQueue: string },
  ctx: { scoped: <T>(fn: (db: Kysely<DB>) => Promise<T>) => Promise<T>; principal: Principal | null },
  ticketNumber: string,
  link: { articleId: string; relation: 'solved_by' | 'workaround' },
) {
  const notice = await ctx.scoped(async (db) => {
    const request = await findRequestId(db, ticketNumber);
    if (!request) throw notFound(`request ${ticketNumber}`);
    const article = await findArticle(db, link.articleId);
    if (!article)
      throw new HttpError(422, 'validation_failed', `articleId: no article ${link.articleId}`, [
        { field: 'articleId', message: 'unknown article' },
      ]);
    if (link.relation === 'workaround') {
      if (!OPEN(request.status))
        throw new HttpError(
          409,
          'invalid_transition',
          `request ${ticketNumber} is ${request.status}: a workaround goes on an open request`,
        );
      const readable =
        article.publishedVersionId !== null &&
        article.status !== 'archived' &&
        (article.audience === 'all_clients' || (article.audience === 'companies' && article.audienceClientIds.includes(request.clientId)));
      if (!readable) {
        throw new HttpError(422, 'validation_failed', 'articleId: the client cannot read this article (publish it for them first)', [
          { field: 'articleId', message: 'not published for this client' },
        ]);
      }
    }
    await linkRequest(db, {
      articleId: link.articleId,
      requestId: request.id,
      relation: link.relation,
      userId: ctx.principal?.userId ?? null,
    });
    // Sent again on a repeated call (the first start may have failed): Temporal and the email key keep it to one.
    return link.relation === 'workaround'
      ? ({
          interventionWorkflowId: request.workflowId,
          ticketNumber,
          articleId: link.articleId,
          articleTitle: article.title,
          link: `/requests/${ticketNumber}`,
        } satisfies WorkaroundNoticeInput)
      : null;
  });
  if (notice) {
    try {
      await deps.temporal.workflow.start('workaroundNoticeWorkflow', {
        taskQueue: deps.taskQueue,
        workflowId: workaroundNoticeWorkflowId(ticketNumber, link.articleId),
        args: [notice],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return ctx.scoped((db) => requestArticles(db, ticketNumber));
}
