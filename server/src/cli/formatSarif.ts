// SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsUrl } from '../../../common/src/rules';
import type { RuleMeta } from '../engine/rules/rule';
import type { Span } from '../engine/ir';
import type { EngineDiagnostic, Severity } from '../engine/types';
import type { LintedFile } from './report';

/** SARIF result levels. */
export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** Base id that relative artifact URIs are resolved against (the working directory). */
export const SOURCE_ROOT_ID = '%SRCROOT%';

/** Key of our own fingerprint in partialFingerprints. */
export const FINGERPRINT_KEY = 'modelLintProblemHash/v1';

/** SARIF has no 'information' or 'hint' level: both are notes. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** Where a file is, relative to the source root when it is inside it (GitHub then links it to the repository). */
export function artifactLocation(filePath: string, cwd: string): ArtifactLocation {
  const relativePath = relative(cwd, filePath);
  if (relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)) return { uri: pathToFileURL(filePath).href };
  return { uri: relativePath.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT_ID };
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A span of the file's text as a 1-based region. */
function fileRegion(file: LintedFile, span: Span): Region {
  const start = file.lines.positionAt(span.start);
  const end = file.lines.positionAt(span.end);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * A span of the analysed text as a region of the file, and in a notebook the cell it is in: the region is then the
 * real place in the .ipynb text, inside the JSON strings of that cell's `source`.
 */
function located(file: LintedFile, span: Span): { region: Region; cell?: number } {
  if (!file.notebook) return { region: fileRegion(file, span) };
  const placed = file.notebook.fileSpan(span);
  return placed === null
    ? { region: fileRegion(file, { start: 0, end: 0 }) }
    : { region: fileRegion(file, placed.span), cell: placed.cell };
}

/** What a SARIF writer needs besides the files. */
export interface SarifContext {
  cwd: string;
  toolVersion: string;
  rules: readonly RuleMeta[];
  /** False when some path could not be read or the config was invalid (exit code 2). */
  executionSuccessful: boolean;
}

/**
 * A stable identity for a problem that survives unrelated edits above it: rule, file, flagged text
 * (whitespace-normalised) and how many identical problems came before it in the file.
 */
function fingerprint(ruleId: string, uri: string, flaggedText: string, occurrence: number): string {
  const normalized = flaggedText.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${ruleId}\0${uri}\0${normalized}\0${occurrence}`).digest('hex').slice(0, 32);
}

function sarifFix(file: LintedFile, location: ArtifactLocation, diagnostic: EngineDiagnostic): object[] | undefined {
  if (!diagnostic.fix || diagnostic.fix.edits.length === 0) return undefined;
  // In a notebook the fix replaces the `source` value of each cell it changes, encoded as that cell had it.
  const edits = file.notebook ? file.notebook.fileFix(diagnostic) : diagnostic.fix.edits;
  if (edits === null || edits.length === 0) return undefined;
  return [
    {
      description: { text: diagnostic.fix.title },
      artifactChanges: [
        {
          artifactLocation: location,
          replacements: edits.map((edit) => ({ deletedRegion: fileRegion(file, edit.span), insertedContent: { text: edit.text } })),
        },
      ],
    },
  ];
}

/** The SARIF log object (serialise with JSON.stringify). */
export function toSarifLog(files: readonly LintedFile[], context: SarifContext): object {
  const rules = [...context.rules].sort((a, b) => a.id.localeCompare(b.id));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results: object[] = [];
  const notifications: object[] = [];
  for (const file of files) {
    const location = artifactLocation(file.filePath, context.cwd);
    const seen = new Map<string, number>();
    const analysed = file.notebook?.analysis.module.text ?? file.text;
    for (const diagnostic of file.result.diagnostics) {
      const flagged = analysed.slice(diagnostic.span.start, diagnostic.span.end);
      const identity = `${diagnostic.ruleId}\0${flagged}`;
      const occurrence = seen.get(identity) ?? 0;
      seen.set(identity, occurrence + 1);
      const { region, cell } = located(file, diagnostic.span);
      const result: Record<string, unknown> = {
        ruleId: diagnostic.ruleId,
        level: sarifLevel(diagnostic.severity),
        message: { text: diagnostic.message },
        locations: [{ physicalLocation: { artifactLocation: location, region } }],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(diagnostic.ruleId, location.uri, flagged, occurrence) },
      };
      // The notebook cell (0-based index into `cells`, markdown counted), as the JSON output's `cell`.
      if (cell !== undefined) result.properties = { cell };
      const index = ruleIndex.get(diagnostic.ruleId);
      if (index !== undefined) result.ruleIndex = index;
      const fixes = sarifFix(file, location, diagnostic);
      if (fixes) result.fixes = fixes;
      results.push(result);
    }
    for (const note of file.result.notes) {
      const { region, cell } = located(file, note.span ?? { start: 0, end: 0 });
      notifications.push({
        level: 'note',
        message: { text: note.message },
        locations: [{ physicalLocation: { artifactLocation: location, region } }],
        ...(cell === undefined ? {} : { properties: { cell } }),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'model-lint',
            version: context.toolVersion,
            semanticVersion: context.toolVersion,
            informationUri: 'https://github.com/model-lint/model-lint',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase()),
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.description },
              helpUri: docsUrl(rule.id),
              help: { text: `${rule.description} Details and fixes: ${docsUrl(rule.id)}` },
              defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
              properties: { tags: ['machine-learning', 'initialization'] },
            })),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT_ID]: { uri: pathToFileURL(context.cwd.endsWith(sep) ? context.cwd : context.cwd + sep).href } },
        invocations: [{ executionSuccessful: context.executionSuccessful, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
