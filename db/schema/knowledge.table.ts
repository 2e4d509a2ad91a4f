import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type {
  ArticleAudience,
  ArticleKind,
  ArticleLanguage,
  ArticleRequestRelation,
  ArticleStatus,
} from '../../workflows/knowledge/knowledge.vocabulary.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

/** The content of one version (copied onto the article row for search, migration 0240). */
export interface ArticleContent {
  kind: ArticleKind;
  language: ArticleLanguage;
  title: string;
  body: string;
  category: string | null;
  serviceTypes: string[];
  brands: string[];
  models: string[];
  assetKinds: string[];
  tags: string[];
}

export interface KbArticlesTable {
  id: Generated<string>;
  status: ColumnType<ArticleStatus, ArticleStatus | undefined, ArticleStatus>;
  audience: ColumnType<ArticleAudience, ArticleAudience | undefined, ArticleAudience>;
  audienceClientIds: TextArray;
  currentVersionId: string | null;
  publishedVersionId: string | null;
  versionCount: ColumnType<number, number | undefined, number>;
  kind: ArticleKind;
  language: ArticleLanguage;
  title: string;
  body: string;
  category: string | null;
  serviceTypes: TextArray;
  brands: TextArray;
  models: TextArray;
  assetKinds: TextArray;
  tags: TextArray;
  authorUserId: string | null;
  reviewerUserId: string | null;
  reviewNote: string | null;
  createdAt: CreatedAt;
  submittedAt: NullableTimestamp;
  reviewedAt: NullableTimestamp;
  publishedAt: NullableTimestamp;
  archivedAt: NullableTimestamp;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Generated (title A, tags/brands/models B, body C). */
  searchVector: ColumnType<string, never, never>;
}

/** Insert-only: a trigger refuses every update and delete. */
export interface KbArticleVersionsTable {
  id: Generated<string>;
  articleId: string;
  version: number;
  kind: ArticleKind;
  language: ArticleLanguage;
  title: string;
  body: string;
  category: string | null;
  serviceTypes: TextArray;
  brands: TextArray;
  models: TextArray;
  assetKinds: TextArray;
  tags: TextArray;
  changeNote: string | null;
  createdByUserId: string | null;
  createdAt: CreatedAt;
}

export interface KbWordsTable {
  word: string;
  lexeme: string;
}

export interface KbArticleRequestsTable {
  articleId: string;
  requestId: string;
  relation: ArticleRequestRelation;
  linkedByUserId: string | null;
  createdAt: CreatedAt;
}

export interface KbVotesTable {
  articleId: string;
  userId: string;
  helpful: boolean;
  votedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface KbEventsTable {
  id: Generated<number>;
  articleId: string;
  kind: 'view' | 'deflection';
  userId: string | null;
  at: CreatedAt;
}

export interface KbSearchesTable {
  id: Generated<number>;
  query: string;
  results: number;
  role: string | null;
  userId: string | null;
  at: CreatedAt;
}

/** A file of an article: an image shown in its body, or a document (migration 0251). */
export interface KbArticleAttachmentsTable {
  id: Generated<string>;
  articleId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
  uploadedByUserId: string | null;
  createdAt: CreatedAt;
}

export type KbArticleRow = Selectable<KbArticlesTable>;
export type NewKbArticleRow = Insertable<KbArticlesTable>;
export type KbArticleVersionRow = Selectable<KbArticleVersionsTable>;
