// `model-lint probe FILE [...]`: parses its options, runs the probe in a worker thread, prints text, JSON or HTML.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseInputShape, PROBE_BACKENDS, type ProbeBackendSetting } from '../../../common/src/probeOptions';
import { expectedNumber, isValidNumber, PROBE_SETTINGS, type NumberSetting } from '../../../common/src/settingsSchema';
import { ProbeAborted, runProbe } from '../../../common/src/probeWorkerClient';
import type { ProbeRequest } from '../../../common/src/probeWorkerProtocol';
import { reportJson, reportText, type LinePlace } from '../probe/format';
import { reportHtml } from '../probe/html';
import { defaultWorkerPath } from '../probe/workerPath';
import { isNotebookPath, NotebookError } from './notebookFile';
import { notebookProbeSource } from './notebookLint';

/** Usage of the probe command. */
export const PROBE_USAGE = `usage: model-lint probe FILE [--model NAME|INDEX] [--steps N] [--batch N] [--seed N]
                       [--backend auto|node|wasm|cpu] [--format text|json|html] [--out FILE] [--compare-fixed]
                       [--input-shape D1,D2,...] [--max-params N] [--timeout-ms N] [--exit-zero]
  Trains each model of FILE a few SGD steps on seeded synthetic data with TF.js and reports per-layer gradient health.
  --model NAME|INDEX   probe only this model (INDEX is 0-based)      --steps N     steps (default 20)
  --batch N            batch size (default 32)                       --seed N      seed of weights and data (default 1)
  --backend B          auto (tfjs-node, else wasm, else cpu)         --format F    text (default), json or html
  --out FILE           write the report to FILE instead of stdout    --compare-fixed  also probe with every fix applied
  --exit-zero          exit 0 even when a finding is reported (a demo or a report-only CI step)
Exit codes: 0 no finding, 1 a finding or a model that could not be probed, 2 usage or internal error.
`;

/** Parsed probe arguments. */
export interface ProbeArguments {
  file: string;
  request: Omit<ProbeRequest, 'text' | 'fileName'>;
  format: 'text' | 'json' | 'html';
  out: string | null;
  help: boolean;
  /** Exit 0 even with findings. */
  exitZero: boolean;
}

/** A command-line mistake of the probe command (exit 2). */
export class ProbeUsageError extends Error {}

/** A flag's whole number, checked by the settings schema's bounds for the same option. */
function integerFlag(flag: string, value: string, setting: NumberSetting): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!isValidNumber(setting, number)) throw new ProbeUsageError(`${flag} expects ${expectedNumber(setting)}; got '${value}'.`);
  return number;
}

/** Parses the arguments that follow `probe`. */
export function parseProbeArguments(argv: readonly string[]): ProbeArguments {
  const parsed: ProbeArguments = { file: '', request: { options: {} }, format: 'text', out: null, help: false, exitZero: false };
  const options = parsed.request.options!;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new ProbeUsageError(`${flag} needs a value.`);
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        parsed.help = true;
        break;
      case '--model':
        parsed.request.model = value();
        break;
      case '--steps':
        options.steps = integerFlag(flag, value(), PROBE_SETTINGS.steps);
        break;
      case '--batch':
        options.batchSize = integerFlag(flag, value(), PROBE_SETTINGS.batchSize);
        break;
      case '--seed':
        options.seed = integerFlag(flag, value(), PROBE_SETTINGS.seed);
        break;
      case '--max-params':
        options.maxParams = integerFlag(flag, value(), PROBE_SETTINGS.maxParams);
        break;
      case '--timeout-ms':
        options.timeoutMs = integerFlag(flag, value(), PROBE_SETTINGS.timeoutMs);
        break;
      case '--input-shape': {
        const text = value();
        const dims = parseInputShape(text);
        if (!dims)
          throw new ProbeUsageError(
            `--input-shape expects positive integers separated by commas (without the batch), e.g. 28,28,1; got '${text}'.`,
          );
        options.inputShape = dims;
        break;
      }
      case '--backend': {
        const backend = value();
        if (!(PROBE_BACKENDS as readonly string[]).includes(backend))
          throw new ProbeUsageError(`--backend must be auto, node, wasm or cpu; got '${backend}'.`);
        parsed.request.backend = backend as ProbeBackendSetting;
        break;
      }
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json' && format !== 'html')
          throw new ProbeUsageError(`--format must be text, json or html; got '${format}'.`);
        parsed.format = format;
        break;
      }
      case '--out':
        parsed.out = value();
        break;
      case '--compare-fixed':
        parsed.request.compareFixed = true;
        break;
      case '--exit-zero':
        parsed.exitZero = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new ProbeUsageError(`unknown option '${arg}'.`);
        files.push(arg);
    }
  }
  if (parsed.help) return parsed;
  if (files.length === 0) throw new ProbeUsageError('probe needs a FILE.');
  if (files.length > 1) throw new ProbeUsageError(`probe takes one FILE; got ${files.length}: ${files.join(', ')}.`);
  parsed.file = files[0];
  return parsed;
}

/** Runs `model-lint probe`; returns the exit code. */
export async function runProbeCommand(argv: string[]): Promise<number> {
  let args: ProbeArguments;
  try {
    args = parseProbeArguments(argv);
  } catch (error) {
    if (!(error instanceof ProbeUsageError)) throw error;
    process.stderr.write(`model-lint probe: ${error.message}\n${PROBE_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(PROBE_USAGE);
    return 0;
  }
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (error) {
    process.stderr.write(`model-lint probe: cannot read ${args.file}: ${(error as Error).message}\n`);
    return 2;
  }
  // A notebook is probed as its Python code cells joined in order; lines are then shown in their cells.
  let fileName = args.file;
  let place: LinePlace | undefined;
  if (isNotebookPath(args.file)) {
    try {
      ({ text, place } = notebookProbeSource(text));
    } catch (error) {
      if (!(error instanceof NotebookError)) throw error;
      process.stderr.write(`model-lint probe: cannot read the notebook ${args.file}: ${error.message}\n`);
      return 2;
    }
    fileName = `${args.file}.py`; // the engine picks its Python front end by name
  }
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const showProgress = process.stderr.isTTY === true;
    const report = await runProbe(
      { ...args.request, text, fileName, workspaceRoot: process.cwd() },
      {
        signal: controller.signal,
        workerPath: defaultWorkerPath(),
        onProgress: showProgress ? (p) => process.stderr.write(`\r${p.model} (${p.variant}): step ${p.step}/${p.steps}   `) : undefined,
      },
    );
    if (showProgress) process.stderr.write('\r\x1b[K');
    const output =
      args.format === 'json'
        ? `${JSON.stringify(reportJson(report, place), null, 2)}\n`
        : args.format === 'html'
          ? reportHtml(report, args.file, place)
          : reportText(report, args.file, place);
    if (args.out) {
      writeFileSync(resolve(args.out), output);
      process.stderr.write(`model-lint probe: report written to ${args.out}\n`);
    } else {
      process.stdout.write(output);
    }
    if (args.format === 'json')
      for (const model of report.models) for (const note of model.assumptions) process.stderr.write(`note (${model.name}): ${note}\n`);
    return !args.exitZero && report.models.some((m) => m.error || m.findings.length > 0) ? 1 : 0;
  } catch (error) {
    if (error instanceof ProbeAborted) {
      process.stderr.write('model-lint probe: cancelled.\n');
      return 130;
    }
    process.stderr.write(`model-lint probe: ${(error as Error).message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
