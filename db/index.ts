export { createDb, isDatabaseUnavailable, DatabaseUnavailableError, DB_CONNECT_TIMEOUT_MS, type DbOptions } from './client.js';
export { migrateToLatest, migrateToEmpty, createMigrator, MigrationError } from './migrate.js';
export type { DB } from './schema/index.js';
export type { Executor } from './executor.js';
export * from './schema/index.js';
export * as requestsRepository from './repositories/requests.repository.js';
export * as messagesRepository from './repositories/messages.repository.js';
