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

  it('shows images only from the article files of the API; any other image is its description', () => {
    const file = '/api/knowledge/articles/0b6f4a4e-8f1e-4c2a-9d7e-1a2b3c4d5e6f/attachments/5c9d2e1f-3a4b-4c5d-8e9f-0a1b2c3d4e5f';
    const html = renderMarkdown(
      `![Schéma du câblage](${file})\n\n![pisteur](https://tracker.example/p.gif) ![inline](data:image/png;base64,iVBORw0KGgo=) ![relatif](${file}/../../x)`,
    );
    expect(html).toContain(`<img src="${file}" alt="Schéma du câblage" loading="lazy">`);
    expect(html.match(/<img/g)).toHaveLength(1);
    expect(html).toContain('pisteur inline relatif');
    expect(html).not.toMatch(/tracker\.example|data:image/);
  });
});
