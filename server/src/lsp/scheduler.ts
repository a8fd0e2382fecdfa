// Per-document debounce of validations: a burst of edits costs few analyses, a lone keystroke is served at once.
/** Runs a document's validation: right away for an edit after a quiet spell, after `delayMs` of quiet inside a burst. */
export class ValidationScheduler {
  private readonly pending = new Map<string, { cancel(): void }>();
  private readonly lastEditAt = new Map<string, number>();

  constructor(
    private readonly delayMs: number,
    private readonly quietMs: number,
    private readonly run: (uri: string) => void,
  ) {}

  /** Schedules (or postpones) the document's validation after an edit. */
  schedule(uri: string): void {
    const now = Date.now();
    const previousEdit = this.lastEditAt.get(uri);
    this.lastEditAt.set(uri, now);
    this.clearPending(uri);
    const fire = (): void => {
      this.pending.delete(uri);
      this.run(uri);
    };
    const lone = previousEdit === undefined || now - previousEdit >= this.quietMs;
    if (lone) {
      // setImmediate still lets messages already read in the same chunk be applied first.
      const handle = setImmediate(fire);
      this.pending.set(uri, { cancel: () => clearImmediate(handle) });
    } else {
      const handle = setTimeout(fire, this.delayMs);
      this.pending.set(uri, { cancel: () => clearTimeout(handle) });
    }
  }

  /** Drops a pending run and the edit history (document closed). */
  cancel(uri: string): void {
    this.clearPending(uri);
    this.lastEditAt.delete(uri);
  }

  private clearPending(uri: string): void {
    this.pending.get(uri)?.cancel();
    this.pending.delete(uri);
  }
}
