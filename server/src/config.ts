// Loads and validates .modellintrc.json, the project settings file shared by the CLI and the language server.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME } from '../../common/src/protocol';
import { RULES } from './engine/rules';
import type { AnalyzeOptions, SeveritySetting, Thresholds } from './engine/types';

/** File name looked up from a file's folder upwards (defined once, in the protocol shared with the client). */
export { CONFIG_FILE_NAME };

/** One problem of a config file, located by character offset so a caller can show it in place. */
export interface ConfigProblem {
  message: string;
  offset: number;
  length: number;
  /** True when the file as a whole cannot be used as written (not JSON, not an object, empty, unreadable): an error. */
  fatal?: boolean;
}

/** A validated config: the usable part as options, plus everything that was wrong with it. */
export interface ParsedConfig {
  options: AnalyzeOptions;
  /** The free-form `probe` section, for the probe (not validated here). */
  probe?: Record<string, unknown>;
  problems: ConfigProblem[];
}

/** A config read from disk. */
export interface LoadedConfig extends ParsedConfig {
  filePath: string;
  /** The file's text ('' when unreadable), to turn problem offsets into lines. */
  text: string;
}

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];
const TOP_LEVEL_KEYS = ['$schema', 'rules', 'thresholds', 'maxFileSize', 'probe'];

/** Bounds of each threshold: a value outside makes the matching rule meaningless. */
const THRESHOLD_BOUNDS: Record<keyof Thresholds, { min: number; max: number; minInclusive: boolean; words: string }> = {
  vanishingRatio: { min: 0, max: 1, minInclusive: false, words: 'a number greater than 0 and at most 1 (default 1e-3)' },
  explodingRatio: { min: 1, max: Infinity, minInclusive: true, words: 'a number of at least 1 (default 1e3)' },
  scaleMismatchFactor: { min: 1, max: Infinity, minInclusive: false, words: 'a number greater than 1 (default 4)' },
};

function typeName(node: JsonNode): string {
  return node.type === 'null' ? 'null' : node.type;
}

function problemAt(node: JsonNode, message: string): ConfigProblem {
  return { message, offset: node.offset, length: node.length };
}

function properties(node: JsonNode): { key: JsonNode; value: JsonNode | undefined; name: string }[] {
  return (node.children ?? []).map((property) => {
    const [key, value] = property.children ?? [];
    return { key, value, name: String(key?.value ?? '') };
  });
}

function readRules(node: JsonNode, problems: ConfigProblem[]): Record<string, SeveritySetting> {
  const rules: Record<string, SeveritySetting> = {};
  const knownIds = new Set(RULES.map((rule) => rule.meta.id));
  for (const { key, value, name } of properties(node)) {
    if (!knownIds.has(name)) {
      const known = [...knownIds].sort().join(', ');
      problems.push(problemAt(key, `Unknown rule id '${name}'${known ? ` (known rules: ${known})` : ' (no rules are registered in this build)'}.`));
      continue;
    }
    if (!value) continue;
    if (value.type !== 'string' || !SEVERITY_SETTINGS.includes(value.value as SeveritySetting)) {
      problems.push(problemAt(value, `The severity of '${name}' must be one of ${SEVERITY_SETTINGS.map((s) => `"${s}"`).join(', ')}.`));
      continue;
    }
    rules[name] = value.value as SeveritySetting;
  }
  return rules;
}

function readThresholds(node: JsonNode, problems: ConfigProblem[]): Partial<Thresholds> {
  const thresholds: Partial<Thresholds> = {};
  for (const { key, value, name } of properties(node)) {
    if (!Object.hasOwn(THRESHOLD_BOUNDS, name)) {
      problems.push(problemAt(key, `Unknown threshold '${name}' (allowed: ${Object.keys(THRESHOLD_BOUNDS).join(', ')}).`));
      continue;
    }
    if (!value) continue;
    const bounds = THRESHOLD_BOUNDS[name as keyof Thresholds];
    const number = value.value;
    const inRange = value.type === 'number' && Number.isFinite(number)
      && (bounds.minInclusive ? number >= bounds.min : number > bounds.min) && number <= bounds.max;
    if (!inRange) {
      problems.push(problemAt(value, `thresholds.${name} must be ${bounds.words}; found ${value.type === 'number' ? number : typeName(value)}.`));
      continue;
    }
    thresholds[name as keyof Thresholds] = number;
  }
  return thresholds;
}

/** Parses and validates config text; never throws: anything wrong becomes a problem and is left out of the options. */
export function parseConfigText(text: string): ParsedConfig {
  if (text.trim() === '') {
    return { options: {}, problems: [{ message: 'The config file is empty; expected an object such as {"rules": {}}.', offset: 0, length: 0, fatal: true }] };
  }
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  const problems: ConfigProblem[] = syntaxErrors.map((error) => ({
    message: `Invalid JSON: ${printParseErrorCode(error.error)}.`,
    offset: error.offset,
    length: error.length,
    fatal: true,
  }));
  const options: AnalyzeOptions = {};
  const result: ParsedConfig = { options, problems };
  if (!root) return result;
  if (root.type !== 'object') {
    problems.push({ ...problemAt(root, `The config must be a JSON object; found ${typeName(root)}.`), fatal: true });
    return result;
  }
  for (const { key, value, name } of properties(root)) {
    if (!TOP_LEVEL_KEYS.includes(name)) {
      problems.push(problemAt(key, `Unknown key '${name}' (allowed: ${TOP_LEVEL_KEYS.filter((k) => k !== '$schema').join(', ')}).`));
      continue;
    }
    if (!value) continue;
    switch (name) {
      case '$schema':
        if (value.type !== 'string') problems.push(problemAt(value, `"$schema" must be a string; found ${typeName(value)}.`));
        break;
      case 'rules':
        if (value.type !== 'object') problems.push(problemAt(value, `"rules" must be an object mapping rule ids to severities; found ${typeName(value)}.`));
        else options.rules = readRules(value, problems);
        break;
      case 'thresholds':
        if (value.type !== 'object') problems.push(problemAt(value, `"thresholds" must be an object; found ${typeName(value)}.`));
        else options.thresholds = readThresholds(value, problems);
        break;
      case 'maxFileSize':
        if (value.type !== 'number' || !Number.isInteger(value.value) || value.value <= 0) {
          problems.push(problemAt(value, `"maxFileSize" must be a positive whole number of characters; found ${value.type === 'number' ? value.value : typeName(value)}.`));
        } else options.maxFileSize = value.value;
        break;
      case 'probe':
        if (value.type !== 'object') problems.push(problemAt(value, `"probe" must be an object; found ${typeName(value)}.`));
        else result.probe = nodeToValue(value) as Record<string, unknown>;
        break;
    }
  }
  return result;
}

function nodeToValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(properties(node).map(({ name, value }) => [name, value ? nodeToValue(value) : null]));
    case 'array':
      return (node.children ?? []).map(nodeToValue);
    default:
      return node.value;
  }
}

/** A config file's text (byte-order mark dropped), or why it could not be read. */
export type ConfigFileText = { text: string; unreadable: null } | { text: ''; unreadable: ConfigProblem };

/** Reads a config file's text; an unreadable file is a problem, not an exception. */
export function readConfigFile(filePath: string): ConfigFileText {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { text: '', unreadable: { message: `Cannot read the config file (${reason}).`, offset: 0, length: 0, fatal: true } };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, unreadable: null };
}

/** Reads and validates one config file; an unreadable file is a problem, not an exception. */
export function loadConfigFile(filePath: string): LoadedConfig {
  const read = readConfigFile(filePath);
  if (read.unreadable) return { filePath, text: '', options: {}, problems: [read.unreadable] };
  return { filePath, text: read.text, ...parseConfigText(read.text) };
}

/** The nearest .modellintrc.json in `directory` or one of its parents, or null. */
export function findConfigFile(directory: string): string | null {
  let current = resolve(directory);
  for (;;) {
    const candidate = join(current, CONFIG_FILE_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** Loads the config that applies to a file (nearest one walking up from its folder), or null when there is none. */
export function loadConfigForFile(filePath: string): LoadedConfig | null {
  const configPath = findConfigFile(dirname(resolve(filePath)));
  return configPath === null ? null : loadConfigFile(configPath);
}

/** Merges two option sets key by key; `override` wins (e.g. file settings over user settings, CLI flags over the file). */
export function mergeOptions(base: AnalyzeOptions, override: AnalyzeOptions): AnalyzeOptions {
  const merged: AnalyzeOptions = {};
  if (base.rules || override.rules) merged.rules = { ...base.rules, ...override.rules };
  if (base.thresholds || override.thresholds) merged.thresholds = { ...withoutUndefined(base.thresholds), ...withoutUndefined(override.thresholds) };
  const maxFileSize = override.maxFileSize ?? base.maxFileSize;
  if (maxFileSize !== undefined) merged.maxFileSize = maxFileSize;
  return merged;
}

function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
