// What the Python reader keeps of one document between two versions (the language server's incremental path): the
// models, and their analysis, that each top-level definition nothing else names (a class or builder read on its own),
// each top-level `name = Model()` and each top-level compound statement that built models gave, with the module-level
// names each read. On the next version such a reading is carried over (offsets moved through the edit) when its text
// and place are the same and every name it read is bound as before (statementReuse.ts), instead of being read again.
// The CLI never uses it.
import { changeBetween } from '../../changeRange';
import type { Model } from '../../ir';
import { movedDiagnostic, movedModel, offsetMapOf, type OffsetMap } from '../../movedModel';
import type { AnalysisMemo, EngineDiagnostic, ModelAnalysis } from '../../types';

/**
 * One model a definition gave: the object handed out (analysis may since have checked its config in place; a moved
 * copy of it counts as checked, see copyCheck), its own notes before the file's were added, its name, and the file
 * notes its assembly added.
 */
export interface ReadModel {
  model: Model;
  ownNotes: string[];
  /** The name it had and the name it was given before one of the same name made it `name#2`. */
  name: string;
  base: string;
  notes: string[];
  /** The analysis of the model in this version, once analyze() made it (see AnalysisMemo); shared, never edited. */
  analysis?: { settings: string; result: ModelAnalysis };
}

/** What reading one definition or top-level statement gave, in the offsets of the version it belongs to. */
export interface Reading {
  models: ReadModel[];
  /** File notes the read added (before assembly). */
  notes: string[];
  /** Interpretation steps the read and its assembly took (counted again on reuse, so the budget means the same). */
  steps: number;
  /** The module-level names the read looked up, with their binding signatures (statementReuse.ts), and the file's imports. */
  reads?: Map<string, string>;
  imports?: string;
  /** For a top-level statement: the module-level names it bound. */
  binds?: string[];
}

/** A definition's reading moved to this version, and the reading it came from with the offset map (for the models' earlier analyses). */
export interface Reuse {
  moved: Reading;
  previous: Reading;
  map: OffsetMap;
}

/** A file-level `global` or `nonlocal` statement lets one function change what another reads: then nothing is reused. */
const SCOPE_STATEMENT = /^[ \t]*(?:global|nonlocal)[ \t]/m;

/**
 * The per-document memory; `open` starts a version, `Session.commit` stores what it read. As an AnalysisMemo it
 * gives analyze() the last analysis of each model carried over.
 */
export class DefinitionCache implements AnalysisMemo {
  private last: { text: string; layout: string; readings: Map<string, Reading> } | null = null;
  /** This version's models handed out: what is kept of each for the next version, and the earlier analysis of a reused one. */
  private tracked = new WeakMap<Model, { kept: ReadModel; earlier?: { read: ReadModel; map: OffsetMap } }>();
  /** Definitions carried over on the last version (tests read it to see that the cache is really used). */
  reusedLastTime = 0;

  /** Links a model handed out on this version to what the next version keeps of it (and, when reused, to its earlier reading). */
  track(model: Model, kept: ReadModel, earlier?: { read: ReadModel; map: OffsetMap }): void {
    this.tracked.set(model, { kept, ...(earlier ? { earlier } : {}) });
  }

  recall(model: Model, settings: string): ModelAnalysis | undefined {
    const entry = this.tracked.get(model);
    const before = entry?.earlier?.read.analysis;
    if (entry === undefined || before === undefined || before.settings !== settings) return undefined;
    const diagnostics: EngineDiagnostic[] = [];
    for (const diagnostic of before.result.diagnostics) {
      const moved = movedDiagnostic(diagnostic, entry.earlier!.map);
      if (moved === null) return undefined;
      diagnostics.push(moved);
    }
    const result = { signal: before.result.signal, diagnostics };
    entry.kept.analysis = { settings, result };
    return result;
  }

  keep(model: Model, settings: string, result: ModelAnalysis): void {
    const entry = this.tracked.get(model);
    if (entry !== undefined) entry.kept.analysis = { settings, result };
  }

  /**
   * Starts reading a version of the text. `layout` names what, besides the text, decides the places labels name
   * (a notebook's cells); a version may reuse readings only when its layout is the last one's. An edit may add or
   * remove lines: a reading is keyed by its place, and the names it read by theirs (statementReuse.ts), so one whose
   * labels would name a moved line is read again.
   */
  open(text: string, layout: string, firstError: number): Session {
    const last = this.last;
    this.reusedLastTime = 0;
    this.tracked = new WeakMap();
    // The substring tests first: they rule out nearly every file faster than the line-by-line pattern.
    const usable = !((text.includes('global') || text.includes('nonlocal')) && SCOPE_STATEMENT.test(text));
    // A version with a syntax error may reuse readings of the last version without one that lie before the error
    // (see Session.readsBefore), but is not remembered.
    const remembered = usable && firstError === Infinity;
    if (remembered) this.last = null;
    let map: OffsetMap | null = null;
    if (usable && last !== null && last.layout === layout) {
      const change = changeBetween(last.text, text);
      map = offsetMapOf(change.span.start, change.span.start + change.span.length, change.newLength);
    }
    return new Session(this, text, layout, usable, firstError, map === null ? null : { readings: last!.readings, map });
  }

  /** Called by a session that read its version through: what the next version may reuse. */
  remember(text: string, layout: string, readings: Map<string, Reading>, reused: number): void {
    this.last = { text, layout, readings };
    this.reusedLastTime = reused;
  }
}

/** One version being read. */
export class Session {
  private reusedCount = 0;

  constructor(
    private readonly cache: DefinitionCache,
    private readonly text: string,
    private readonly layout: string,
    /** False when this version may neither reuse nor be remembered (a `global` or `nonlocal` statement). */
    readonly usable: boolean,
    /**
     * Where this version's first syntax error starts (Infinity without one). lezer reads the text before an error as
     * it would without it, but its recovery may read what follows differently from a version without the error, even
     * where the text is the same: a reading carried over into such a version, and every definition it read, must end
     * before the error. What such a version reads is not kept.
     */
    readonly readsBefore: number,
    private readonly previous: { readings: Map<string, Reading>; map: OffsetMap } | null,
  ) {}

  /** The key of a definition: its place (as labels name it) and its text. */
  static keyOf(place: string, text: string): string {
    return `${place}\u0000${text}`;
  }

  /**
   * The earlier reading of a definition or statement moved to this version, or null when it must be read again:
   * `holds` says whether it still holds (the names it read are bound as before).
   */
  reuse(key: string, holds: (reading: Reading) => boolean): Reuse | null {
    const previous = this.previous;
    if (!this.usable || previous === null) return null;
    const reading = previous.readings.get(key);
    if (reading === undefined || !holds(reading)) return null;
    const moved = moveReading(reading, previous.map);
    if (moved === null) return null;
    this.reusedCount++;
    return { moved, previous: reading, map: previous.map };
  }

  /** Stores this version's readings (those reused and those read afresh) for the next version. */
  commit(readings: Map<string, Reading>): void {
    if (!this.usable) return;
    if (this.readsBefore === Infinity) this.cache.remember(this.text, this.layout, readings, this.reusedCount);
    else this.cache.reusedLastTime = this.reusedCount;
  }
}

function moveReading(reading: Reading, map: OffsetMap): Reading | null {
  const models: ReadModel[] = [];
  for (const read of reading.models) {
    const model = movedModel(read.model, map);
    if (model === null) return null;
    model.notes = [...read.ownNotes];
    models.push({ model, ownNotes: read.ownNotes, name: read.name, base: read.base, notes: read.notes });
  }
  return { ...reading, models, notes: [...reading.notes] };
}
