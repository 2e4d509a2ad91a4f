import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

describe('article Markdown', () => {
  it('renders headings, numbered steps and emphasis', () => {
    const html = renderMarkdown('## Résolution\n1. Ouvrir **Paramètres**\n2. Redémarrer');
    expect(html).toContain('<h2>Résolution</h2>');
    expect(html).toContain('<ol>\n<li>Ouvrir <strong>Paramètres</strong></li>');
  });

  it('never lets a script, an event handler or a javascript: link through', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[clic](javascript:alert(1)) [data](data:text/html,<b>x</b>)',
    );
    expect(html).not.toMatch(/<script|<img|href="javascript:|href="data:/);
    expect(html).toContain('&lt;script&gt;');
  });
});
