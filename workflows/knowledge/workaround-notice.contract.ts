/** The notice of a workaround attached to an open request: names shared by the API and the workflow. */

/** One notice per request and article: starting it twice is refused by Temporal, so the client gets one email. */
export const workaroundNoticeWorkflowId = (ticketNumber: string, articleId: string) => `kb-workaround-${ticketNumber}-${articleId}`;

export interface WorkaroundNoticeInput {
  /** The intervention's workflow id (the email activity finds the request and its client from it). */
  interventionWorkflowId: string;
  ticketNumber: string;
  articleId: string;
  articleTitle: string;
  /** Where the client reads it (the request's page). */
  link: string;
}
