/**
 * FHIR search escaping: `\,` `\|` `\$` and `\\` are literal characters inside a value; unescaped they
 * separate OR-ed values (`,`), token parts (`|`) and composite components (`$`). Splitting keeps the
 * escapes so that each level splits on its own separator; `unescape` runs last, on the final parts.
 */

/** Splits at each `separator` not preceded by an escaping backslash; the parts keep their escapes. */
export function splitUnescaped(text: string, separator: ',' | '|' | '$'): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function unescape(text: string): string {
  return text.replace(/\\([,|$\\])/g, '$1');
}

/** `a|b|c` → up to `max` unescaped parts; undefined when there are more. */
export function splitParts(raw: string, separator: '|' | '$', max: number): string[] | undefined {
  const parts = splitUnescaped(raw, separator);
  return parts.length > max ? undefined : parts.map(unescape);
}
