import { describe, expect, it } from 'vitest';
import { protectLiquid, restoreLiquid, missingTags } from './liquid-engine.ts';
import { htmlToText } from './plain-text.ts';

describe('plain text from HTML', () => {
  it('writes a link as its text followed by the URL', () => {
    expect(htmlToText('<p>Lue <a href="https://x.example/a?b=1&amp;c=2">uutiset</a> tästä.</p>')).toBe(
      'Lue uutiset (https://x.example/a?b=1&c=2) tästä.',
    );
  });

  it('writes only the URL when the link text is the URL, and uses an image\'s alt as link text', () => {
    expect(htmlToText('<a href="https://x.example/">https://x.example/</a>')).toBe('https://x.example/');
    expect(htmlToText('<a href="https://x.example/"><img src="l.png" alt="Logo"></a>')).toBe('Logo (https://x.example/)');
  });

  it('breaks lines at paragraphs and <br>, collapses source whitespace, and decodes entities', () => {
    expect(htmlToText('<div>Hei\n   Aino,</div><p>rivi&nbsp;1<br/>rivi 2 &amp; &lt;3&gt; &#8364; &auml;</p>')).toBe(
      'Hei Aino,\nrivi 1\nrivi 2 & <3> € ä',
    );
  });

  it('drops the head, styles, Outlook conditionals and the hidden preview text', () => {
    const html = `<html><head><title>T</title><style>p{}</style></head><body>
      <div style="display:none;font-size:1px;">Esikatselu</div>
      <!--[if mso | IE]><table><tr><td><![endif]--><p>Sisältö</p><!--[if mso | IE]></td></tr></table><![endif]-->
    </body></html>`;
    expect(htmlToText(html)).toBe('Sisältö');
  });
});

describe('Liquid tags through MJML', () => {
  it('swaps tags for placeholders and back, unchanged', () => {
    const src = '<a href="{{ links.x }}">{% if a == "b" %}x{% endif %}</a>';
    const p = protectLiquid(src, 'f');
    expect(p.text).not.toContain('{');
    expect(p.tags).toEqual(['{{ links.x }}', '{% if a == "b" %}', '{% endif %}']);
    expect(restoreLiquid(p.text, p.tags)).toBe(src);
  });

  it('maps lines back across tags that span lines', () => {
    const p = protectLiquid('a\n{% if x\n  and y %}\nb\nc', 'f');
    expect(p.text).toBe('a\nLUPALQ0Z\nb\nc');
    expect([1, 2, 3, 4].map((l) => p.originalLine(l))).toEqual([1, 2, 4, 5]);
  });

  it('quotes Liquid-like text that is not a tag, so it prints instead of running', () => {
    expect(restoreLiquid('{{ not a tag', [])).toBe('{% raw %}{{{% endraw %} not a tag');
  });

  it('notices placeholders that went missing', () => {
    expect(missingTags('LUPALQ0Z LUPALQ2Z', 3)).toEqual([1]);
  });
});
