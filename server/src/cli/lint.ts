// The `model-lint lint` command: select files, apply config and flags, analyse (and fix), print, choose the exit code.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findConfigFile, loadConfigFile, mergeOptions, type LoadedConfig } from '../config';
import { analyze, resolveThresholds } from '../engine/analyze';
import { fixUntilStable } from '../engine/applyFixes';
import { RULES } from '../engine/rules';
import type { AnalysisResult, AnalyzeOptions } from '../engine/types';
import { parseLintArguments, UsageError, type LintArguments } from './args';
import { selectFiles } from './files';
import { countBySeverity, displayPath, formatSummary, formatText } from './formatText';
import { toSarifLog } from './formatSarif';
import { LineIndex } from '../engine/lineIndex';
import { toJsonReport, type LintedFile } from './report';
import { isNotebookPath, NotebookError } from './notebookFile';
import { lintNotebookText, type LintedNotebook, type NotebookLintOutcome } from './notebookLint';

/** Where a command writes and which folder relative paths start from. */
export interface CommandIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE_OR_INTERNAL = 2;

/** Passes of fix-then-reanalyse before giving up on reaching a stable text. */
const MAX_FIX_PASSES = 10;

export const LINT_USAGE = `Usage: model-lint lint [paths or globs...] [options]

Checks TensorFlow.js code (.ts .tsx .js .jsx .mjs .cjs .mts .cts), Keras / TF.js model JSON (.json),
PyTorch / Keras Python (.py) and Jupyter notebooks (.ipynb) for weight initializations that do not fit
their activations. Directories are walked (node_modules, .git, dist, out and .ipynb_checkpoints are
skipped); with no path, the current directory is checked. In a notebook, places read
'nb.ipynb:cell 3:12:5' (cell counted from 1 over all cells, then line and column in the cell).

Options:
  -f, --format text|json|sarif  output format (default: text)
      --fix                     apply all safe fixes and write the files
      --fix-dry-run             compute the fixes without writing (JSON: "output" holds the fixed text)
      --rule <id>=<severity>    override a rule: off, hint, info, warning or error (repeatable)
      --max-warnings <N>        exit 1 when there are more than N warnings (default -1: no limit)
  -c, --config <file>           use this config file instead of the nearest .modellintrc.json
      --summary                 after the diagnostics, print each model's predicted gradient health
      --exit-zero               exit 0 even when problems are found (usage and internal errors still exit 2)
  -h, --help                    show this help

Exit codes: 0 no error-level problem, 1 an error-level problem (or more warnings than --max-warnings),
2 usage error, missing or unreadable path, invalid config file, or internal error.
`;

/** Resolves which config applies to each file: the --config file, or the nearest .modellintrc.json (cached per folder). */
class ConfigLookup {
  private readonly byDirectory = new Map<string, LoadedConfig | null>();
  private readonly byPath = new Map<string, LoadedConfig>();
  private readonly reported = new Set<string>();
  /** True once any config had a problem. */
  hadProblems = false;

  constructor(
    private readonly io: CommandIO,
    private readonly explicit: LoadedConfig | null,
  ) {}

  configFor(filePath: string): LoadedConfig | null {
    if (this.explicit) return this.report(this.explicit);
    const directory = dirname(filePath);
    if (!this.byDirectory.has(directory)) {
      const configPath = findConfigFile(directory);
      let config: LoadedConfig | null = null;
      if (configPath !== null) {
        config = this.byPath.get(configPath) ?? loadConfigFile(configPath);
        this.byPath.set(configPath, config);
      }
      this.byDirectory.set(directory, config);
    }
    const config = this.byDirectory.get(directory) ?? null;
    return config && this.report(config);
  }

  /** Prints a config's problems once, compiler style, on stderr. */
  report(config: LoadedConfig): LoadedConfig {
    if (this.reported.has(config.filePath)) return config;
    this.reported.add(config.filePath);
    if (config.problems.length === 0) return config;
    this.hadProblems = true;
    const lines = new LineIndex(config.text);
    const shown = displayPath(config.filePath, this.io.cwd);
    for (const problem of config.problems) {
      const { line, column } = lines.positionAt(problem.offset);
      this.io.stderr(`${shown}:${line}:${column} error ${problem.message} [config]\n`);
    }
    return config;
  }
}

/** Reads the tool version from the package.json next to the bundle or the compiled sources. */
export function toolVersion(): string {
  let directory = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(resolve(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'model-lint' && manifest.version) return manifest.version;
    } catch {
      // not here: keep walking up
    }
    directory = dirname(directory);
  }
  return '0.0.0';
}

interface FileOutcome {
  linted: LintedFile | null;
  failed: boolean;
}

function lintOneFile(filePath: string, args: LintArguments, options: AnalyzeOptions, io: CommandIO): FileOutcome {
  const shown = displayPath(filePath, io.cwd);
  let original: string;
  try {
    original = readFileSync(filePath, 'utf8');
  } catch (error) {
    io.stderr(`model-lint: cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return { linted: null, failed: true };
  }
  // Editors do not count a byte-order mark as a column: analyse without it, put it back when writing.
  const byteOrderMark = original.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const text = byteOrderMark ? original.slice(1) : original;
  try {
    let result: AnalysisResult;
    let finalText = text;
    let fixCount = 0;
    let notebook: LintedNotebook | undefined;
    if (isNotebookPath(filePath)) {
      let outcome: NotebookLintOutcome;
      try {
        outcome = lintNotebookText(text, filePath, options, args.fix || args.fixDryRun, MAX_FIX_PASSES);
      } catch (error) {
        if (!(error instanceof NotebookError)) throw error;
        io.stderr(`model-lint: cannot read the notebook ${shown}: ${error.message}\n`);
        return { linted: null, failed: true };
      }
      ({ text: finalText, fixCount, notebook } = outcome);
      // Only problems placed in a cell are reported, so counts and every format agree.
      result = { ...notebook.analysis.result, diagnostics: notebook.analysis.diagnostics.map((problem) => problem.diagnostic) };
    } else {
      result = analyze(text, filePath, options);
      if (args.fix || args.fixDryRun) {
        let latest = result;
        const fixed = fixUntilStable(
          text,
          (current) => {
            latest = analyze(current, filePath, options);
            return latest.diagnostics;
          },
          MAX_FIX_PASSES,
        );
        result = latest;
        finalText = fixed.text;
        fixCount = fixed.fixCount;
      }
    }
    const changed = finalText !== text;
    if (args.fix && changed) {
      try {
        writeFileSync(filePath, byteOrderMark + finalText, 'utf8');
      } catch (error) {
        io.stderr(`model-lint: cannot write the fixed ${shown}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
        return { linted: null, failed: true };
      }
    }
    return {
      linted: {
        filePath,
        text: finalText,
        byteOrderMark,
        result,
        thresholds: resolveThresholds(options),
        fixCount,
        changed,
        lines: new LineIndex(finalText),
        notebook,
      },
      failed: false,
    };
  } catch (error) {
    io.stderr(
      `model-lint: internal error while checking ${shown}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return { linted: null, failed: true };
  }
}

/** Runs `model-lint lint` with the arguments after the command name; resolves to the exit code. */
export async function runLintCommand(argv: readonly string[], io: CommandIO): Promise<number> {
  let args: LintArguments;
  try {
    args = parseLintArguments(argv);
    const knownIds = new Set(RULES.map((rule) => rule.meta.id));
    for (const id of Object.keys(args.ruleOverrides)) {
      if (!knownIds.has(id)) throw new UsageError(`--rule: unknown rule id '${id}'. Run 'model-lint rules' to list them.`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`model-lint: ${error.message}\nRun 'model-lint lint --help' for usage.\n`);
    return EXIT_USAGE_OR_INTERNAL;
  }
  if (args.help) {
    io.stdout(LINT_USAGE);
    return EXIT_OK;
  }

  let explicitConfig: LoadedConfig | null = null;
  if (args.configFile !== null) {
    explicitConfig = loadConfigFile(resolve(io.cwd, args.configFile));
    if (explicitConfig.text === '' && explicitConfig.problems.some((p) => p.message.startsWith('Cannot read'))) {
      io.stderr(`model-lint: --config ${args.configFile}: ${explicitConfig.problems[0].message}\n`);
      return EXIT_USAGE_OR_INTERNAL;
    }
  }
  const configs = new ConfigLookup(io, explicitConfig);
  // Reported before any file, so its problems show even when no file is selected.
  if (explicitConfig) configs.report(explicitConfig);
  const flagOptions: AnalyzeOptions = Object.keys(args.ruleOverrides).length > 0 ? { rules: args.ruleOverrides } : {};

  const selection = selectFiles(args.paths, io.cwd);
  let failed = selection.problems.length > 0;
  for (const problem of selection.problems) io.stderr(`model-lint: ${problem}\n`);

  const linted: LintedFile[] = [];
  for (const filePath of selection.files) {
    const config = configs.configFor(filePath);
    const options = mergeOptions(config?.options ?? {}, flagOptions);
    const outcome = lintOneFile(filePath, args, options, io);
    if (outcome.failed) failed = true;
    if (outcome.linted) linted.push(outcome.linted);
  }
  if (configs.hadProblems) failed = true;

  if (args.format === 'json') {
    io.stdout(JSON.stringify(toJsonReport(linted, args.fixDryRun), null, 2) + '\n');
  } else if (args.format === 'sarif') {
    const log = toSarifLog(linted, {
      cwd: io.cwd,
      toolVersion: toolVersion(),
      rules: RULES.map((rule) => rule.meta),
      executionSuccessful: !failed,
    });
    io.stdout(JSON.stringify(log, null, 2) + '\n');
  } else {
    io.stdout(formatText(linted, { cwd: io.cwd, fixMode: args.fix ? 'fix' : args.fixDryRun ? 'dry-run' : 'none' }));
  }
  if (args.summary) {
    // Machine formats keep stdout parseable, so the human summary goes to stderr there.
    const summary = formatSummary(linted, io.cwd);
    if (args.format === 'text') io.stdout(summary);
    else io.stderr(summary);
  }

  if (failed) return EXIT_USAGE_OR_INTERNAL;
  const counts = countBySeverity(linted);
  let exitCode = counts.error > 0 ? EXIT_PROBLEMS : EXIT_OK;
  if (args.maxWarnings >= 0 && counts.warning > args.maxWarnings) {
    io.stderr(`model-lint: ${counts.warning} warnings, more than --max-warnings ${args.maxWarnings}.\n`);
    exitCode = EXIT_PROBLEMS;
  }
  if (exitCode !== EXIT_OK && args.exitZero) {
    io.stderr(`model-lint: exit code 0 because of --exit-zero (it would be ${exitCode}: problems were found).\n`);
    return EXIT_OK;
  }
  return exitCode;
}
