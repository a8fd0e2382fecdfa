// Finds `model-lint-disable-next-line` / `model-lint-disable-line` comments; shared by every front end: `//` and
// `/* */` comments in TS/JS and JSONC, `#` comments in Python (also spelled `# model-lint: disable-next-line`).
import { LineIndex } from '../lineIndex';

const DIRECTIVE = /(\/\/|\/\*)[ \t]*model-lint-disable-(next-line|line)(?![\w-])([^\r\n]*)/g;
const HASH_DIRECTIVE = /(#)[ \t]*model-lint(?::[ \t]*|-)disable-(next-line|line)(?![\w-])([^\r\n]*)/g;

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

/**
 * Scans a text for suppression comments: 0-based line → silenced rule ids ('*' = all).
 * Text-level on purpose (cheap, works for JSONC too); a directive-looking string literal is the only false match.
 */
export function scanSuppressions(text: string, comments: 'slash' | 'hash' = 'slash'): Map<number, Set<string>> {
  const suppressions = new Map<number, Set<string>>();
  if (!text.includes(comments === 'hash' ? 'model-lint' : 'model-lint-disable')) return suppressions;
  const lines = new LineIndex(text);
  const directive = comments === 'hash' ? HASH_DIRECTIVE : DIRECTIVE;
  directive.lastIndex = 0;
  for (let match = directive.exec(text); match !== null; match = directive.exec(text)) {
    const line = lines.positionAt(match.index).line - 1;
    const target = match[2] === 'next-line' ? line + 1 : line;
    const ids = ruleIdsOf(match[3], match[1] === '/*');
    const existing = suppressions.get(target);
    if (existing) for (const id of ids) existing.add(id);
    else suppressions.set(target, ids);
  }
  return suppressions;
}
