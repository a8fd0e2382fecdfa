// Loads and validates .modellintrc.json, the project settings file shared by the CLI and the language server.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME } from '../../common/src/protocol';
import {
  enumProblem,
  isThresholdName,
  MAX_FILE_SIZE_SETTING,
  numberProblem,
  PROBE_SETTINGS,
  severityProblem,
  THRESHOLD_SETTINGS,
  unknownThresholdProblem,
} from '../../common/src/settingsSchema';
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
  /** The valid options of the `probe` section. */
  probe?: Record<string, unknown>;
  problems: ConfigProblem[];
}

/** A config read from disk. */
export interface LoadedConfig extends ParsedConfig {
  filePath: string;
  /** The file's text ('' when unreadable), to turn problem offsets into lines. */
  text: string;
}

const TOP_LEVEL_KEYS = ['$schema', 'rules', 'thresholds', 'maxFileSize', 'probe'];

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

/** The problem with a rule id that no rule has (the config file and the editor's settings say it the same way). */
export function unknownRuleProblem(id: string): string | null {
  const knownIds = RULES.map((rule) => rule.meta.id);
  if (knownIds.includes(id)) return null;
  const known = [...knownIds].sort().join(', ');
  return `Unknown rule id '${id}'${known ? ` (known rules: ${known})` : ' (no rules are registered in this build)'}.`;
}

/** One setting of a group as read: the problem with its key, else the problem with its value, else its valid value. */
export type SettingRead = { keyProblem: string } | { valueProblem: string } | { value: unknown };

/** Reads a rule's severity by the settings schema; `path` names the group in messages ('rules', 'modelLint.rules'). */
export function readSeverity(path: string, id: string, value: unknown): SettingRead {
  const keyProblem = unknownRuleProblem(id);
  if (keyProblem !== null) return { keyProblem };
  const valueProblem = severityProblem(`${path}.${id}`, value);
  return valueProblem === null ? { value } : { valueProblem };
}

/** Reads a threshold by the settings schema; `path` names the group in messages ('thresholds', 'modelLint.thresholds'). */
export function readThreshold(path: string, name: string, value: unknown): SettingRead {
  if (!isThresholdName(name)) return { keyProblem: unknownThresholdProblem(name) };
  const valueProblem = numberProblem(`${path}.${name}`, THRESHOLD_SETTINGS[name], value);
  return valueProblem === null ? { value } : { valueProblem };
}

/** Reads a probe option by the settings schema (the same bounds as the `modelLint.probe.*` settings). */
export function readProbeOption(path: string, name: string, value: unknown): SettingRead {
  if (!Object.hasOwn(PROBE_SETTINGS, name))
    return { keyProblem: `Unknown probe option '${name}' (allowed: ${Object.keys(PROBE_SETTINGS).join(', ')}).` };
  const setting = PROBE_SETTINGS[name as keyof typeof PROBE_SETTINGS];
  const valueProblem =
    setting.type === 'string' ? enumProblem(`${path}.${name}`, setting, value) : numberProblem(`${path}.${name}`, setting, value);
  return valueProblem === null ? { value } : { valueProblem };
}

/** Reads an object node's properties with one of the readers above, each problem at its key or value node. */
function readGroup(
  node: JsonNode,
  path: string,
  read: (path: string, name: string, value: unknown) => SettingRead,
  problems: ConfigProblem[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { key, value, name } of properties(node)) {
    const result = read(path, name, value ? nodeToValue(value) : undefined);
    if ('keyProblem' in result) problems.push(problemAt(key, result.keyProblem));
    else if (!value) continue;
    else if ('valueProblem' in result) problems.push(problemAt(value, result.valueProblem));
    else values[name] = result.value;
  }
  return values;
}

/** Parses and validates config text; never throws: anything wrong becomes a problem and is left out of the options. */
export function parseConfigText(text: string): ParsedConfig {
  if (text.trim() === '') {
    return {
      options: {},
      problems: [{ message: 'The config file is empty; expected an object such as {"rules": {}}.', offset: 0, length: 0, fatal: true }],
    };
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
        if (value.type !== 'object')
          problems.push(problemAt(value, `"rules" must be an object mapping rule ids to severities; found ${typeName(value)}.`));
        else options.rules = readGroup(value, 'rules', readSeverity, problems) as Record<string, SeveritySetting>;
        break;
      case 'thresholds':
        if (value.type !== 'object') problems.push(problemAt(value, `"thresholds" must be an object; found ${typeName(value)}.`));
        else options.thresholds = readGroup(value, 'thresholds', readThreshold, problems) as Partial<Thresholds>;
        break;
      case 'maxFileSize': {
        const problem = numberProblem('maxFileSize', MAX_FILE_SIZE_SETTING, nodeToValue(value));
        if (problem !== null) problems.push(problemAt(value, problem));
        else options.maxFileSize = value.value;
        break;
      }
      case 'probe':
        if (value.type !== 'object') problems.push(problemAt(value, `"probe" must be an object; found ${typeName(value)}.`));
        else result.probe = readGroup(value, 'probe', readProbeOption, problems);
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
  if (base.thresholds || override.thresholds)
    merged.thresholds = { ...withoutUndefined(base.thresholds), ...withoutUndefined(override.thresholds) };
  const maxFileSize = override.maxFileSize ?? base.maxFileSize;
  if (maxFileSize !== undefined) merged.maxFileSize = maxFileSize;
  return merged;
}

function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
