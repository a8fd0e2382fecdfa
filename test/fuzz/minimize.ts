// Delta debugging of a failing fuzz input: the smallest text (by lines, then by tokens) that still fails the same way.

/** Whether a candidate text still shows the failure. */
export type StillFails = (text: string) => Promise<boolean>;

/**
 * ddmin over the parts of a text: tries removing chunks of halving size and keeps every removal after which the
 * input still fails. `budget` caps the number of checks (each runs the engine, and a hang costs a whole deadline).
 */
async function ddmin(parts: string[], stillFails: StillFails, budget: { left: number }): Promise<string[]> {
  let current = parts;
  let chunks = 2;
  while (current.length >= 2 && budget.left > 0) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length && budget.left > 0; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      budget.left--;
      if (candidate.length > 0 && (await stillFails(candidate.join('')))) {
        current = candidate;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunks >= current.length) break;
      chunks = Math.min(current.length, chunks * 2);
    }
  }
  return current;
}

/** Lines with their line breaks, so joining them gives the text back (CR, CRLF and LF kept as they were). */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? [text];
}

function splitTokens(text: string): string[] {
  return text.match(/[A-Za-z_$][\w$]*|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\s+|./gs) ?? [text];
}

/** Shrinks a failing text: first whole lines, then tokens. Returns the original when nothing smaller fails. */
export async function minimize(text: string, stillFails: StillFails, maxChecks = 400): Promise<string> {
  const budget = { left: maxChecks };
  const lines = await ddmin(splitLines(text), stillFails, budget);
  const tokens = await ddmin(splitTokens(lines.join('')), stillFails, budget);
  return tokens.join('');
}
