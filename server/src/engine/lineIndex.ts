// Converts character offsets of a text to 1-based line and column numbers (columns in UTF-16 code units).

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Line starts of one text, so each offset lookup is a binary search instead of a scan. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    // Most texts have no carriage return: then the native search from line break to line break does the scan.
    if (!text.includes('\r')) {
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.lineStarts.push(at + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) this.lineStarts.push(i + 1);
      else if (code === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  /** How many lines the text has (line breaks + 1). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset where a 1-based line starts; undefined past the last line. */
  lineStart(line: number): number | undefined {
    return Number.isSafeInteger(line) && line >= 1 ? this.lineStarts[line - 1] : undefined;
  }

  /** 1-based line and column of an offset (clamped to the text). */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - this.lineStarts[low] + 1 };
  }
}
