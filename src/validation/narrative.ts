import type { OperationOutcomeIssue } from 'fhir/r4';
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { validationIssue } from './issue.js';
import { MAX_ISSUES } from './json-rules.js';
import { expressionOf, isJsonObject, type PathSegment } from './location.js';

const XHTML = 'http://www.w3.org/1999/xhtml';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XML = 'http://www.w3.org/XML/1998/namespace';

/** txt-1's element list, as its XPath in the R4 Narrative StructureDefinition states it. */
const ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'b', 'big', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd',
  'dfn', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre',
  'q', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr',
  'tt', 'ul', 'var',
]);

/** txt-1's attribute list, from the same XPath; none of them is an event handler (`on*`). */
const ATTRIBUTES = new Set([
  'abbr', 'accesskey', 'align', 'alt', 'axis', 'bgcolor', 'border', 'cellhalign', 'cellpadding', 'cellspacing',
  'cellvalign', 'char', 'charoff', 'charset', 'cite', 'class', 'colspan', 'compact', 'coords', 'dir', 'frame',
  'headers', 'height', 'href', 'hreflang', 'hspace', 'id', 'lang', 'longdesc', 'name', 'nowrap', 'rel', 'rev',
  'rowspan', 'rules', 'scope', 'shape', 'span', 'src', 'start', 'style', 'summary', 'tabindex', 'title', 'type',
  'valign', 'value', 'vspace', 'width',
]);

const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'longdesc']);

/** Script in a URL or a style: what "no scripts" means once elements and `on*` are ruled out. */
const SCRIPT_URL = /^(javascript|vbscript|livescript):/i;
const SCRIPT_STYLE = /expression\s*\(|javascript:|behavior\s*:|-moz-binding/i;

/**
 * What xmldom lets through: characters XML 1.0 forbids (controls, U+FFFE/U+FFFF, lone surrogates)
 * and an `&` that starts no reference. Entities other than XML's five are refused by xmldom itself
 * (`text/xml` mode), as FHIR narrative has no DTD to declare `&nbsp;`.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BARE_AMPERSAND = /&(?!(?:[A-Za-z_:][\w.:-]*|#[0-9]+|#x[0-9A-Fa-f]+);)/;

/**
 * `text.div` of the resource and of every resource inside it (contained, Bundle entries): well-formed
 * XHTML in the XHTML namespace (D9), only the elements and attributes txt-1 allows, no script in any
 * form, and some text or an image (txt-2).
 */
export function narrativeIssues(value: unknown, root: string): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const stack: Array<{ node: unknown; path: PathSegment[] }> = [{ node: value, path: [] }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { node, path } = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
      continue;
    }
    if (!isJsonObject(node)) continue;
    const text = node.text;
    if (typeof node.resourceType === 'string' && isJsonObject(text) && Object.hasOwn(text, 'div')) {
      const where = expressionOf(root, [...path, 'text', 'div']);
      issues.push(...divIssues(text.div, where));
    }
    for (const key of Object.keys(node)) if (key !== 'text') stack.push({ node: node[key], path: [...path, key] });
  }
  return issues;
}

/** Problems of one `div`, fewest first: a div that is not XML yields one issue, not a cascade. */
export function divIssues(div: unknown, expression: string): OperationOutcomeIssue[] {
  const invalid = (text: string) => [validationIssue('structure', 'NARRATIVE', `the narrative is not well-formed XHTML: ${text}`, { expression })];
  const txt1 = (text: string) => validationIssue('invariant', 'NARRATIVE', `txt-1: ${text}`, { expression });
  if (typeof div !== 'string') return invalid('text.div must be a string of XHTML');
  if (NOT_XML_CHAR.test(div)) return invalid('it contains a character XML does not allow');
  if (BARE_AMPERSAND.test(div)) return invalid("an '&' must start a character reference such as &amp;amp;");
  let problem: string | undefined;
  let document;
  try {
    document = new DOMParser({
      locator: false,
      onError: (_level, message) => {
        problem = message.split('\n')[0];
        throw new Error(problem);
      },
    }).parseFromString(div, 'text/xml');
  } catch (error) {
    return invalid(problem ?? (error instanceof Error ? error.message.split('\n')[0]! : 'unreadable'));
  }
  const top = Array.from(document.childNodes);
  const root = document.documentElement;
  if (!root || top.length !== 1 || root.localName !== 'div' || root.namespaceURI !== XHTML) {
    return invalid(`the value must be exactly one <div xmlns="${XHTML}"> element, with no DOCTYPE or processing instruction`);
  }
  const issues: OperationOutcomeIssue[] = [];
  let hasContent = false;
  const pending: Node[] = [root];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const node = pending.pop()!;
    if (node.nodeType === node.TEXT_NODE || node.nodeType === node.CDATA_SECTION_NODE) {
      if (/\S/.test(node.nodeValue ?? '')) hasContent = true;
      continue;
    }
    if (node.nodeType === node.PROCESSING_INSTRUCTION_NODE) {
      issues.push(txt1('processing instructions are not allowed in a narrative'));
      continue;
    }
    if (node.nodeType !== node.ELEMENT_NODE) continue;
    const element = node as Element;
    const name = element.localName ?? element.nodeName;
    if (element.namespaceURI !== XHTML) {
      issues.push(txt1(`<${element.nodeName}> is not in the XHTML namespace`));
      continue;
    }
    if (!ELEMENTS.has(name)) {
      // Reported once: its content is not judged, and txt-2 is not piled on top of it.
      issues.push(txt1(`<${name}> is not allowed in a narrative (no scripts, forms, frames, objects, head or body)`));
      hasContent = true;
      continue;
    }
    if (name === 'img' && element.getAttribute('src')) hasContent = true;
    for (const attribute of Array.from(element.attributes)) {
      const problemText = attributeProblem(attribute.namespaceURI, attribute.localName ?? attribute.name, attribute.name, attribute.value);
      if (problemText) issues.push(txt1(`<${name} ${attribute.name}>: ${problemText}`));
    }
    for (let i = element.childNodes.length - 1; i >= 0; i--) pending.push(element.childNodes[i]!);
  }
  if (!hasContent) issues.push(validationIssue('invariant', 'NARRATIVE', 'txt-2: the narrative SHALL have some non-whitespace content', { expression }));
  return issues;
}

function attributeProblem(namespace: string | null, local: string, name: string, value: string): string | undefined {
  if (namespace === XMLNS) return undefined;
  if (namespace === XML) return local === 'lang' || local === 'space' ? undefined : 'this xml: attribute is not allowed';
  if (namespace) return 'attributes from other namespaces (xlink, …) are not allowed';
  if (/^on/i.test(name)) return 'event handler attributes are not allowed';
  if (!ATTRIBUTES.has(name)) return 'this attribute is not allowed';
  // Browsers ignore control characters and spaces inside a scheme, so compare without them.
  if (URL_ATTRIBUTES.has(name)) {
    const url = value.replace(/[\u0000-\u0020]/g, '');
    if (SCRIPT_URL.test(url)) return 'script URLs are not allowed';
    // A data: URL can carry a whole HTML page with script; as an image source it is only a picture.
    if (/^data:/i.test(url) && !(name === 'src' && /^data:image\/(png|gif|jpeg|webp|bmp);/i.test(url))) return 'data: URLs are only allowed as image sources';
  }
  if (name === 'style' && SCRIPT_STYLE.test(value)) return 'script in a style is not allowed';
  return undefined;
}
