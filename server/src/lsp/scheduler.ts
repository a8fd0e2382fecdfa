// Per-document debounce of validations: a burst of edits costs one analysis, a single edit is served at once.
/** Runs a document's validation after the edits stop arriving for `delayMs`; one pending run per document. */
export class ValidationScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly delayMs: number, private readonly run: (uri: string) => void) {}

  /** (Re)starts the document's timer. */
  schedule(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri);
    }, this.delayMs));
  }

  /** Drops a pending run (document closed). */
  cancel(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
  }
}
