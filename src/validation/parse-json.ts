import type { OperationOutcomeIssue } from 'fhir/r4';
import { printParseErrorCode, visit } from 'jsonc-parser';
import { FhirError, invalidResource } from '../fhir/errors.js';
import { validationIssue } from './issue.js';
import { jsonValueIssues, MAX_ISSUES, nestsTooDeep } from './json-rules.js';
import { expressionOf, isJsonObject, pointerOf, rootName, type PathSegment } from './location.js';
import { decodeUtf8 } from './utf8.js';

/** Marks values made here, so `validateResource` can tell a parsed body from a plain resource. */
export const PARSED_JSON: unique symbol = Symbol('ParsedJson');

/** A request body that passed the FHIR JSON rules of D9 which only the raw text can show. */
export interface ParsedJson {
  /** What `JSON.parse` built: keys such as `__proto__` are plain own properties, never prototypes. */
  readonly value: unknown;
  /**
   * The literal of every number written with a decimal point or an exponent, by JSON pointer
   * (`/multipleBirthInteger` → `"2.0"`): `JSON.parse` turns `2.0` into `2`, so only this tells the
   * schema step that an integer element was written as a decimal.
   */
  readonly decimalLiterals: ReadonlyMap<string, string>;
  readonly [PARSED_JSON]: true;
}

export function isParsedJson(input: unknown): input is ParsedJson {
  return typeof input === 'object' && input !== null && (input as Partial<ParsedJson>)[PARSED_JSON] === true;
}

/**
 * Parses a FHIR JSON body, applying the rules of D9 that need the raw text: strict UTF-8, JSON
 * syntax (line and column), no duplicate keys, a top-level object, no empty strings, arrays or
 * objects. Throws `FhirError` (400). Integer elements written as decimals are judged later, by the
 * schema step, which knows each element's type.
 */
export function parseFhirJson(body: Buffer | string): ParsedJson {
  const { parsed, issues } = readFhirJson(body);
  if (!parsed || issues.length > 0) throw invalidResource(400, issues);
  return parsed;
}

/**
 * The same rules, reporting instead of throwing, for `$validate` (D12): `parsed` is absent only
 * when the body is not JSON at all.
 */
export function readFhirJson(body: Buffer | string): { parsed?: ParsedJson; issues: OperationOutcomeIssue[] } {
  let text: string;
  try {
    // A string body skipped the decoder, which would have dropped the BOM; drop it the same way.
    text = typeof body === 'string' ? (body.charCodeAt(0) === 0xfeff ? body.slice(1) : body) : decodeUtf8(body);
  } catch (error) {
    if (error instanceof FhirError) return { issues: error.issues };
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { issues: [syntaxIssue(text, error)] };
  }
  if (!isJsonObject(value)) {
    return { issues: [validationIssue('structure', 'INVALID_JSON', 'a FHIR resource must be a JSON object', { expression: 'Resource' })] };
  }
  const root = rootName(value);
  // The value walk goes first: it bounds the nesting before the recursive text visitor runs.
  const issues = jsonValueIssues(value, root);
  if (nestsTooDeep(issues)) return { issues };
  const facts = scanText(text, root);
  issues.unshift(...facts.issues);
  const parsed: ParsedJson = { value, decimalLiterals: facts.decimalLiterals, [PARSED_JSON]: true };
  return { parsed, issues: issues.slice(0, MAX_ISSUES) };
}

interface Frame {
  isArray: boolean;
  /** Current property (object) or index of the current item (array). */
  at: string | number;
  count: number;
  keys: Set<string> | undefined;
}

/** Follows the jsonc-parser visitor to know the path of the node being visited. */
function pathTracker() {
  const frames: Frame[] = [];
  const enterValue = () => {
    const top = frames[frames.length - 1];
    if (top?.isArray) top.at = top.count++;
  };
  return {
    frames,
    path: (): PathSegment[] => frames.map((f) => f.at),
    enterValue,
    visitor: {
      onObjectBegin: () => {
        enterValue();
        frames.push({ isArray: false, at: '', count: 0, keys: new Set() });
      },
      onObjectEnd: () => void frames.pop(),
      onArrayBegin: () => {
        enterValue();
        frames.push({ isArray: true, at: -1, count: 0, keys: undefined });
      },
      onArrayEnd: () => void frames.pop(),
    },
  };
}

const STRICT_JSON = { disallowComments: true, allowTrailingComma: false };

/** Facts only the text holds: duplicate keys and how numbers were written. */
function scanText(text: string, root: string): { issues: OperationOutcomeIssue[]; decimalLiterals: Map<string, string> } {
  const issues: OperationOutcomeIssue[] = [];
  const decimalLiterals = new Map<string, string>();
  const tracker = pathTracker();
  visit(text, {
    ...tracker.visitor,
    onObjectProperty: (property, _offset, _length, line, column) => {
      const top = tracker.frames[tracker.frames.length - 1]!;
      top.at = property;
      if (top.keys!.has(property) && issues.length < MAX_ISSUES) {
        issues.push(validationIssue('structure', 'DUPLICATE_KEY', `duplicate key '${property}' (JSON objects in FHIR must not repeat a key)`,
          { expression: expressionOf(root, tracker.path()), location: `Line[${line + 1}] Col[${column + 1}]` }));
      }
      top.keys!.add(property);
    },
    onLiteralValue: (literal, offset, length) => {
      tracker.enterValue();
      if (typeof literal !== 'number') return;
      const raw = text.slice(offset, offset + length);
      if (/[.eE]/.test(raw)) decimalLiterals.set(pointerOf(tracker.path()), raw);
    },
  }, STRICT_JSON);
  return { issues, decimalLiterals };
}

interface Located {
  line: number;
  column: number;
  expression?: string;
  /** jsonc-parser's name for the problem (`CommaExpected`), used when JSON.parse gave none. */
  problem?: string;
}

/**
 * JSON.parse says what is wrong; the jsonc-parser scanner says where, as line, column and path.
 * The scanner recurses, so a hostile nesting depth can overflow it: then the position from
 * JSON.parse's message is all we report.
 */
function syntaxIssue(text: string, error: unknown): OperationOutcomeIssue {
  let message = error instanceof Error ? error.message.replace(/ in JSON at position \d+.*$/s, '') : 'invalid JSON';
  let located: Located | undefined;
  try {
    located = locateSyntaxError(text);
  } catch {
    located = undefined;
  }
  if (!located) {
    const position = error instanceof Error ? /at position (\d+)/.exec(error.message)?.[1] : undefined;
    if (position !== undefined) located = lineAndColumn(text, Number(position));
  }
  const where = located ? ` at line ${located.line}, column ${located.column}` : '';
  if (!message && located?.problem) message = located.problem;
  return validationIssue('structure', 'INVALID_JSON', `the body is not valid JSON${where}: ${message}`, {
    ...(located ? { location: `Line[${located.line}] Col[${located.column}]` } : {}),
    ...(located?.expression ? { expression: located.expression } : {}),
  });
}

function locateSyntaxError(text: string): Located | undefined {
  let found: Located | undefined;
  const tracker = pathTracker();
  let resourceType = 'Resource';
  visit(text, {
    ...tracker.visitor,
    onObjectProperty: (property) => {
      tracker.frames[tracker.frames.length - 1]!.at = property;
    },
    onLiteralValue: (literal) => {
      tracker.enterValue();
      const path = tracker.path();
      if (path.length === 1 && path[0] === 'resourceType') resourceType = rootName({ resourceType: literal });
    },
    onError: (code, _offset, _length, line, column) => {
      found ??= { line: line + 1, column: column + 1, expression: expressionOf(resourceType, tracker.path()), problem: printParseErrorCode(code) };
    },
  }, STRICT_JSON);
  return found;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
