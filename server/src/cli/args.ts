// Parses the command line of `model-lint lint` into typed options; every mistake is a UsageError (exit 2).
import type { SeveritySetting } from '../engine/types';
import { SEVERITY_SETTINGS } from '../../../common/src/settingsSchema';
import { ownValue } from '../engine/ownKeys';

/** A command-line mistake: reported with the usage hint and exit code 2. */
export class UsageError extends Error {}

/** Output formats of the lint command. */
export type OutputFormat = 'text' | 'json' | 'sarif';

/** Everything `model-lint lint` was asked to do. */
export interface LintArguments {
  /** Files, directories or glob patterns; the current directory when none is given. */
  paths: string[];
  format: OutputFormat;
  /** Write fixed files. */
  fix: boolean;
  /** Compute fixes without writing (JSON `output` carries the fixed text). */
  fixDryRun: boolean;
  /** --rule id=severity overrides, applied over every config file. */
  ruleOverrides: Record<string, SeveritySetting>;
  /** Exit 1 when there are more warnings than this; -1 means no limit. */
  maxWarnings: number;
  /** One config file for every linted file instead of the nearest .modellintrc.json. */
  configFile: string | null;
  /** Print each model's predicted gradient health after the diagnostics. */
  summary: boolean;
  /** Exit 0 even when problems are found (usage and internal errors still exit 2). */
  exitZero: boolean;
  help: boolean;
}

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
/** Flags that take no value and switch one option on. */
const SWITCHES: Readonly<Record<string, 'fix' | 'fixDryRun' | 'summary' | 'exitZero'>> = {
  '--fix': 'fix',
  '--fix-dry-run': 'fixDryRun',
  '--summary': 'summary',
  '--exit-zero': 'exitZero',
};

/** Parses one --rule value, `id=severity`. */
export function parseRuleOverride(value: string): [string, SeveritySetting] {
  const match = /^([^=\s]+)=(\S+)$/.exec(value.trim());
  if (!match) throw new UsageError(`--rule expects <rule-id>=<severity>, e.g. --rule glorot-with-relu=error; got '${value}'.`);
  const [, id, severity] = match;
  if (!(SEVERITY_SETTINGS as readonly string[]).includes(severity)) {
    throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITY_SETTINGS.join(', ')}; got '${severity}'.`);
  }
  return [id, severity as SeveritySetting];
}

/** Parses the arguments that follow `lint`. */
export function parseLintArguments(argv: readonly string[]): LintArguments {
  const parsed: LintArguments = {
    paths: [],
    format: 'text',
    fix: false,
    fixDryRun: false,
    ruleOverrides: {},
    maxWarnings: -1,
    configFile: null,
    summary: false,
    exitZero: false,
    help: false,
  };
  let index = 0;
  const valueOf = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const next = argv[++index];
    if (next === undefined) throw new UsageError(`${flag} needs a value.`);
    return next;
  };
  let optionsEnded = false;
  for (; index < argv.length; index++) {
    const argument = argv[index];
    if (optionsEnded || !argument.startsWith('-') || argument === '-') {
      parsed.paths.push(argument);
      continue;
    }
    if (argument === '--') {
      optionsEnded = true;
      continue;
    }
    const equals = argument.indexOf('=');
    const flag = equals > 0 && argument.startsWith('--') ? argument.slice(0, equals) : argument;
    const inline = equals > 0 && argument.startsWith('--') ? argument.slice(equals + 1) : undefined;
    const switchKey = ownValue(SWITCHES, flag);
    if (switchKey !== undefined) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value.`);
      parsed[switchKey] = true;
      continue;
    }
    switch (flag) {
      case '--format':
      case '-f': {
        const format = valueOf(flag, inline);
        if (!FORMATS.includes(format as OutputFormat))
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${format}'.`);
        parsed.format = format as OutputFormat;
        break;
      }
      case '--rule': {
        const [id, severity] = parseRuleOverride(valueOf(flag, inline));
        parsed.ruleOverrides[id] = severity;
        break;
      }
      case '--max-warnings': {
        const raw = valueOf(flag, inline);
        const count = Number(raw);
        if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(count) || count < -1) {
          throw new UsageError(`--max-warnings expects a whole number (-1 for no limit); got '${raw}'.`);
        }
        parsed.maxWarnings = count;
        break;
      }
      case '--config':
      case '-c':
        parsed.configFile = valueOf(flag, inline);
        break;
      case '--help':
      case '-h':
        parsed.help = true;
        break;
      default:
        throw new UsageError(`Unknown option '${flag}'.`);
    }
  }
  if (parsed.fix && parsed.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be used together.');
  if (parsed.paths.length === 0) parsed.paths.push('.');
  return parsed;
}
