import type { T } from '../session.js';
import { HOME_PATH } from '../routes.js';

/** Any path the route table does not have, or that the signed-in role may not open. */
export function NotFoundPage({ t }: { t: T }) {
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.help')}</p>
      <p>
        <a href={HOME_PATH}>{t('notFound.home')}</a>
      </p>
    </section>
  );
}
