// Finds suppression comments; shared by every front end: `//` and `/* */` comments in TS/JS and JSONC, `#` comments in
// Python. Line forms: `model-lint-disable-next-line` / `model-lint-disable-line` (Python also
// `# model-lint: disable-next-line`); file-wide form, on a line of its own: `model-lint-disable` (`# model-lint: disable`).
import { LineIndex } from '../lineIndex';

/** The key under which the rules silenced in the whole file are kept (no line has it). */
export const FILE_WIDE = -1;

const DIRECTIVE = /(\/\/|\/\*)[ \t]*model-lint-disable-(next-line|line)(?![\w-])([^\r\n]*)/g;
const HASH_DIRECTIVE = /(#)[ \t]*model-lint(?::[ \t]*|-)disable-(next-line|line)(?![\w-])([^\r\n]*)/g;
// The file-wide form (`(?![\w-])` keeps `-next-line` / `-line` out); onOwnLine checks that only blanks precede it.
const FILE_DIRECTIVE = /(\/\/|\/\*)[ \t]*model-lint-disable(?![\w-])([^\r\n]*)/g;
const HASH_FILE_DIRECTIVE = /(#)[ \t]*model-lint(?::[ \t]*|-)disable(?![\w-])([^\r\n]*)/g;

/** Whether only blanks (or a byte order mark) stand between the start of its line and an offset. */
function onOwnLine(text: string, offset: number): boolean {
  let at = offset - 1;
  while (at >= 0 && (text[at] === ' ' || text[at] === '\t' || text[at] === '\uFEFF')) at--;
  return at < 0 || text[at] === '\n' || text[at] === '\r';
}

/** Rule ids named after a directive ('*' when none); text after `--` is a free-form reason. */
function ruleIdsOf(rest: string, isBlock: boolean): Set<string> {
  let body = rest;
  if (isBlock) {
    const close = body.indexOf('*/');
    if (close >= 0) body = body.slice(0, close);
  }
  const reason = body.indexOf('--');
  if (reason >= 0) body = body.slice(0, reason);
  const ids = body.split(/[\s,]+/).filter((id) => id.length > 0);
  return new Set(ids.length > 0 ? ids : ['*']);
}

function add(suppressions: Map<number, Set<string>>, key: number, ids: Set<string>): void {
  const existing = suppressions.get(key);
  if (existing) for (const id of ids) existing.add(id);
  else suppressions.set(key, ids);
}

/**
 * Scans a text for suppression comments: 0-based line → silenced rule ids ('*' = all), and under FILE_WIDE the rules
 * silenced in the whole file. Text-level on purpose (cheap, works for JSONC too); a directive-looking string literal
 * is the only false match.
 */
export function scanSuppressions(text: string, comments: 'slash' | 'hash' = 'slash'): Map<number, Set<string>> {
  const suppressions = new Map<number, Set<string>>();
  if (!text.includes(comments === 'hash' ? 'model-lint' : 'model-lint-disable')) return suppressions;
  const lines = new LineIndex(text);
  const directive = comments === 'hash' ? HASH_DIRECTIVE : DIRECTIVE;
  directive.lastIndex = 0;
  for (let match = directive.exec(text); match !== null; match = directive.exec(text)) {
    const line = lines.positionAt(match.index).line - 1;
    add(suppressions, match[2] === 'next-line' ? line + 1 : line, ruleIdsOf(match[3]!, match[1] === '/*'));
  }
  const fileDirective = comments === 'hash' ? HASH_FILE_DIRECTIVE : FILE_DIRECTIVE;
  fileDirective.lastIndex = 0;
  for (let match = fileDirective.exec(text); match !== null; match = fileDirective.exec(text)) {
    if (!onOwnLine(text, match.index)) continue;
    const isBlock = match[1] === '/*';
    // A block comment followed by code on its line is not on a line of its own.
    if (isBlock && match[2]!.includes('*/') && match[2]!.slice(match[2]!.indexOf('*/') + 2).trim() !== '') continue;
    add(suppressions, FILE_WIDE, ruleIdsOf(match[2]!, isBlock));
  }
  return suppressions;
}

/** Whether a rule's problem on a 0-based line is silenced by the file's suppression comments. */
export function isSuppressed(suppressions: Map<number, Set<string>>, line: number, ruleId: string): boolean {
  for (const silenced of [suppressions.get(FILE_WIDE), suppressions.get(line)]) {
    if (silenced && (silenced.has('*') || silenced.has(ruleId))) return true;
  }
  return false;
}
