/**
 * Article bodies are Markdown, rendered to HTML by markdown-it with raw HTML disabled: any `<…>`
 * an author types is shown as text, and markdown-it refuses `javascript:`, `vbscript:` and
 * non-image `data:` links, so the output holds no script. Images are shown only from the
 * article files of this application (`![schéma](/api/knowledge/articles/…/attachments/…)`, the
 * URL the upload answers): no other site learns who reads an article, and no `data:` image
 * slips through; any other image is shown as its description. The same module runs in the
 * browser and in Node (the unit test).
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The only image sources allowed: an article file served by the API (same origin, under its access rules). */
export const ARTICLE_FILE_URL = new RegExp(`^/api/knowledge/articles/${UUID}/attachments/${UUID}$`, 'i');

const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  if (!ARTICLE_FILE_URL.test(src)) return md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
  token.attrSet('loading', 'lazy');
  return defaultImage(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}
