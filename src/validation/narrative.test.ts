import { describe, expect, it } from 'vitest';
import { divIssues, narrativeIssues } from './narrative.js';

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';
const problems = (div: unknown) => divIssues(div, 'Patient.text.div').map((i) => i.diagnostics);

describe('narrative (txt-1, txt-2, well-formed XHTML)', () => {
  it('accepts ordinary XHTML with the XML entities, tables, images, styles and xml:lang', () => {
    const div = `<div ${NS} xml:lang="fr"><h1>Résumé</h1><p style="color: red" class="x">A &amp; B &lt; C &#160;&#x2014;</p>`
      + '<table border="1"><tr><td colspan="2">1</td></tr></table><img src="#pic" alt="x"/><!-- note --><a href="https://example.org/">lien</a></div>';
    expect(problems(div)).toEqual([]);
  });

  it('refuses a script element', () => {
    expect(problems(`<div ${NS}><p>hi</p><script>alert(1)</script></div>`)).toEqual([
      'txt-1: <script> is not allowed in a narrative (no scripts, forms, frames, objects, head or body)',
    ]);
  });

  it('refuses forms, iframes, objects and other elements outside the txt-1 list', () => {
    for (const element of ['form', 'iframe', 'object', 'input', 'style', 'link', 'body']) {
      expect(problems(`<div ${NS}><${element}>x</${element}></div>`)[0]).toMatch(new RegExp(`^txt-1: <${element}> is not allowed`));
    }
  });

  it('refuses event handler attributes and attributes outside the txt-1 list', () => {
    expect(problems(`<div ${NS}><p onclick="steal()">x</p></div>`)).toEqual(['txt-1: <p onclick>: event handler attributes are not allowed']);
    expect(problems(`<div ${NS}><p contenteditable="true">x</p></div>`)).toEqual(['txt-1: <p contenteditable>: this attribute is not allowed']);
  });

  it('refuses script URLs, even disguised with case, spaces and tabs', () => {
    expect(problems(`<div ${NS}><a href=" JaVa&#9;Script:alert(1)">x</a></div>`)).toEqual(['txt-1: <a href>: script URLs are not allowed']);
    expect(problems(`<div ${NS}><img src="vbscript:x"/>t</div>`)).toEqual(['txt-1: <img src>: script URLs are not allowed']);
    expect(problems(`<div ${NS}><p style="width: expression(alert(1))">x</p></div>`)).toEqual(['txt-1: <p style>: script in a style is not allowed']);
    expect(problems(`<div ${NS}><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a></div>`))
      .toEqual(['txt-1: <a href>: data: URLs are only allowed as image sources']);
    expect(problems(`<div ${NS}><img src="data:image/svg+xml;base64,PHN2Zz4="/>x</div>`))
      .toEqual(['txt-1: <img src>: data: URLs are only allowed as image sources']);
  });

  it('refuses xlink and other foreign attributes and elements', () => {
    expect(problems(`<div ${NS} xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="x">y</a></div>`))
      .toEqual(['txt-1: <a xlink:href>: attributes from other namespaces (xlink, …) are not allowed']);
    expect(problems(`<div ${NS}><svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>y</div>`))
      .toEqual(['txt-1: <svg> is not in the XHTML namespace']);
  });

  it('refuses an empty narrative and one of whitespace only (txt-2)', () => {
    const txt2 = ['txt-2: the narrative SHALL have some non-whitespace content'];
    expect(problems(`<div ${NS}></div>`)).toEqual(txt2);
    expect(problems(`<div ${NS}>\n  <p> </p>\n</div>`)).toEqual(txt2);
  });

  it('accepts a narrative that is only an image (txt-2)', () => {
    expect(problems(`<div ${NS}><img src="data:image/png;base64,AAAA"/></div>`)).toEqual([]);
  });

  it('refuses a div outside the XHTML namespace, or anything but one div', () => {
    for (const div of ['<div>x</div>', `<p ${NS}>x</p>`, `<?xml version="1.0"?><div ${NS}>x</div>`, `<!DOCTYPE div><div ${NS}>x</div>`]) {
      expect(problems(div)).toHaveLength(1);
      expect(problems(div)[0]).toMatch(/^the narrative is not well-formed XHTML/);
    }
  });

  it('refuses XHTML that is not well-formed', () => {
    for (const div of [
      `<div ${NS}><p>x</div>`, `<div ${NS}><p>x</b></p></div>`, `<div ${NS}>a < b</div>`, `<div ${NS}>a & b</div>`,
      `<div ${NS} class=x>y</div>`, `<div ${NS} class="a" class="b">y</div>`, `<div ${NS}>x</div><div ${NS}>y</div>`,
      `<div ${NS}>a\u0001b</div>`, `<div ${NS}>x`, '',
    ]) {
      expect(problems(div), div).toHaveLength(1);
      expect(problems(div)[0], div).toMatch(/^the narrative is not well-formed XHTML/);
    }
  });

  it('refuses HTML entities that XML does not define, such as &nbsp;', () => {
    expect(problems(`<div ${NS}>a&nbsp;b</div>`)[0]).toMatch(/^the narrative is not well-formed XHTML: entity not found/);
  });

  it('refuses a div that is not a string', () => {
    expect(problems(42)).toEqual(['the narrative is not well-formed XHTML: text.div must be a string of XHTML']);
  });

  it('checks the narratives of contained resources too, at their location', () => {
    const resource = {
      resourceType: 'Patient',
      text: { status: 'generated', div: `<div ${NS}>ok</div>` },
      contained: [{ resourceType: 'Organization', id: 'o', name: 'O', text: { status: 'generated', div: `<div ${NS}><script/>x</div>` } }],
    };
    expect(narrativeIssues(resource, 'Patient').map((i) => i.expression?.[0])).toEqual(['Patient.contained[0].text.div']);
  });
});
