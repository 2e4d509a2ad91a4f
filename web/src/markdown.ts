/**
 * Article bodies are Markdown, rendered to HTML by markdown-it with raw HTML disabled: any `<…>`
 * an author types is shown as text, and markdown-it refuses `javascript:`, `vbscript:` and
 * non-image `data:` links, so the output holds no script. The same module runs in the browser
 * and in Node (the unit test).
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

export function renderMarkdown(source: string): string {
  return md.render(source);
}
