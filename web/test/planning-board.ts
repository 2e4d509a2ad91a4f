/** Browser-test support for the planning board: a new dispatcher account, signed in through the form. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/index.js';
import { createUser } from '../../db/repositories/users.repository.js';

export async function openPlanningBoardAs(
  browser: Browser,
  url: string,
  db: Kysely<DB>,
  dispatcher: { email: string; displayName: string; password: string },
): Promise<{ context: BrowserContext; board: Page }> {
  await createUser(db, { ...dispatcher, role: 'dispatcher' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const board = await context.newPage();
  await board.goto(`${url}/planning`);
  await board.getByLabel('E-mail', { exact: true }).fill(dispatcher.email);
  await board.getByLabel('Mot de passe').fill(dispatcher.password);
  await board.getByRole('button', { name: 'Se connecter' }).click();
  return { context, board };
}
