// One fuzzing run: makes `count` inputs from a seed, checks them in worker threads, minimizes and saves failures,
// and sums up what it saw. Used by scripts/fuzz.mjs (npm run fuzz) and by the fixed-seed slice test.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { failureFamily, failureSignature, type CheckName, type Failure } from './checks';
import { generateModelJson } from './generateJson';
import { generatePythonProgram } from './generatePython';
import { generateTfjsProgram } from './generateTfjs';
import { knownDefectOf } from './knownDefects';
import { minimize } from './minimize';
import { deepInput, mutateSeed, seedFiles, type SeedFile } from './mutate';
import { CheckPool } from './pool';
import { createRandom, inputSeed } from './random';

/** One generated input and where it came from. */
export interface FuzzInput {
  index: number;
  text: string;
  fileName: string;
  /** e.g. "mutation of examples/keras-cnn.json: number swap, crlf". */
  origin: string;
}

/** Options of a run. */
export interface FuzzOptions {
  count: number;
  seed: number;
  /** Index of the first input (default 0), to replay a part of a run. */
  start?: number;
  workers: number;
  deadlineMs: number;
  /** Folder to save minimized failures in; none saves nothing. */
  saveDir?: string;
  /** Called every `progressEvery` inputs. */
  onProgress?: (done: number, summary: FuzzSummary) => void;
  progressEvery?: number;
}

/** A failure as counted by the run: which input, which defect. */
export interface FoundFailure extends Failure {
  signature: string;
  defect: string | null;
  input: { index: number; origin: string; fileName: string; length: number };
}

/** Totals of a run. */
export interface FuzzSummary {
  seed: number;
  inputs: number;
  byOrigin: Record<string, number>;
  failures: FoundFailure[];
  byCheck: Partial<Record<CheckName, number>>;
  diagnostics: number;
  fixesChecked: number;
  slowest: { index: number; origin: string; ms: number } | null;
  peakRssMb: number;
  elapsedMs: number;
  saved: string[];
}

/** Input `index` of a run with `seed`: a pure function of both, so `--only` can make it again. */
export function makeInput(seed: number, index: number, seeds: readonly SeedFile[]): FuzzInput {
  const r = createRandom(inputSeed(seed, index));
  const roll = r.next();
  if (roll < 0.25) return { index, ...generateTfjsProgram(r), origin: 'generated TF.js program' };
  if (roll < 0.45) return { index, ...generateModelJson(r), origin: 'generated model JSON' };
  if (roll < 0.6) return { index, ...generatePythonProgram(r), origin: 'generated Python' };
  if (roll < 0.985 && seeds.length > 0) {
    const seedFile = r.pick(seeds);
    const { text, applied } = mutateSeed(seedFile, r);
    return { index, text, fileName: seedFile.fileName, origin: `mutation of ${seedFile.path}: ${applied.join(', ')}` };
  }
  const deep = deepInput(r);
  return { index, text: deep.text, fileName: deep.fileName, origin: `stress: ${deep.label}` };
}

/** The failure families of the regressions saved before, so a run saves each kind of failure once. */
function savedFamilies(dir: string): Set<string> {
  if (!existsSync(dir)) return new Set();
  return new Set(
    readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => {
        try {
          return (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { family: string }).family;
        } catch {
          return '';
        }
      }),
  );
}

const MAX_SAVED_PER_RUN = 10;

/** Runs the checks on `count` inputs and returns the totals; failures are minimized and saved when `saveDir` is set. */
export async function runFuzz(root: string, options: FuzzOptions): Promise<FuzzSummary> {
  const seeds = seedFiles(root);
  const pool = new CheckPool({ workers: options.workers, deadlineMs: options.deadlineMs });
  const started = performance.now();
  const summary: FuzzSummary = {
    seed: options.seed,
    inputs: 0,
    byOrigin: {},
    failures: [],
    byCheck: {},
    diagnostics: 0,
    fixesChecked: 0,
    slowest: null,
    peakRssMb: 0,
    elapsedMs: 0,
    saved: [],
  };
  const sampleMemory = (): void => {
    summary.peakRssMb = Math.max(summary.peakRssMb, process.memoryUsage().rss / 2 ** 20);
  };
  const sampler = setInterval(sampleMemory, 100);
  const known = options.saveDir ? savedFamilies(options.saveDir) : new Set<string>();
  const toSave: { input: FuzzInput; failure: FoundFailure }[] = [];

  let next = options.start ?? 0;
  const end = next + options.count;
  const runOne = async (): Promise<void> => {
    while (next < end) {
      const input = makeInput(options.seed, next++, seeds);
      const result = await pool.check(input.text, input.fileName);
      summary.inputs++;
      const originKind = input.origin.split(':')[0].replace(/^mutation of .*/, 'mutation of a fixture or example');
      summary.byOrigin[originKind] = (summary.byOrigin[originKind] ?? 0) + 1;
      summary.diagnostics += result.diagnostics;
      summary.fixesChecked += result.fixesChecked;
      if (!summary.slowest || result.analysisMs > summary.slowest.ms)
        summary.slowest = { index: input.index, origin: input.origin, ms: result.analysisMs };
      for (const failure of result.failures) {
        const found: FoundFailure = {
          ...failure,
          signature: failureSignature(failure),
          defect: knownDefectOf(failure, input.text)?.id ?? null,
          input: { index: input.index, origin: input.origin, fileName: input.fileName, length: input.text.length },
        };
        summary.failures.push(found);
        summary.byCheck[failure.check] = (summary.byCheck[failure.check] ?? 0) + 1;
        const family = failureFamily(failure);
        if (options.saveDir && !known.has(family) && toSave.length < MAX_SAVED_PER_RUN) {
          known.add(family);
          toSave.push({ input, failure: found });
        }
      }
      if (options.onProgress && summary.inputs % (options.progressEvery ?? 1000) === 0) {
        sampleMemory();
        options.onProgress(summary.inputs, summary);
      }
    }
  };
  // Twice as many feeders as workers keeps every worker busy while results travel back.
  await Promise.all(Array.from({ length: Math.max(1, options.workers) * 2 }, runOne));

  for (const { input, failure } of toSave) {
    const family = failureFamily(failure);
    const stillFails = async (text: string): Promise<boolean> => {
      const result = await pool.check(text, input.fileName);
      return result.failures.some((f) => failureFamily(f) === family);
    };
    const text = await minimize(input.text, stillFails, failure.check === 'hang' ? 12 : 400);
    // What the minimized input shows now (the same family; its message may read differently from the original's).
    const shown = (await pool.check(text, input.fileName)).failures.find((f) => failureFamily(f) === family) ?? failure;
    const name = `${failure.check}-${createHash('sha1').update(family).digest('hex').slice(0, 8)}.json`;
    mkdirSync(options.saveDir as string, { recursive: true });
    const record = {
      fileName: input.fileName,
      check: failure.check,
      family,
      defect: knownDefectOf(shown, text)?.id ?? failure.defect,
      found: `seed ${options.seed}, input ${input.index} (${input.origin}), ${input.text.length} characters before minimizing`,
      detail: shown.detail,
      text,
    };
    writeFileSync(join(options.saveDir as string, name), JSON.stringify(record, null, 2) + '\n');
    summary.saved.push(name);
  }
  clearInterval(sampler);
  sampleMemory();
  await pool.close();
  summary.elapsedMs = performance.now() - started;
  return summary;
}
