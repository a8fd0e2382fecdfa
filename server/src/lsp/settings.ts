// Settings per document: the client's `modelLint` section merged with the nearest .modellintrc.json, cached per URI.
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { readProbeSettings, type ProbeSettings } from '../../../common/src/probeOptions';
import { SETTINGS_SECTION, type ModelLintSettings } from '../../../common/src/protocol';
import { MAX_FILE_SIZE_SETTING, numberProblem } from '../../../common/src/settingsSchema';
import { readSeverity, readThreshold, type SettingRead } from '../config';
import type { AnalyzeOptions, SeveritySetting, Thresholds } from '../engine/types';

/** What one document is analysed with. */
export interface ResolvedSettings {
  enable: boolean;
  /** Merged options; the same object until the cache is dropped (the analysis cache relies on that). */
  options: AnalyzeOptions;
  /** The `modelLint.probe.*` settings (the server's probe command's defaults); the config file does not set them. */
  probe: ProbeSettings;
}

/** The valid entries of one settings group, read by the config file's readers; each problem is named by its setting. */
function readGroup(
  path: string,
  group: object,
  read: (path: string, name: string, value: unknown) => SettingRead,
  problems: string[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(group)) {
    const result = read(path, name, value);
    if ('keyProblem' in result) problems.push(`${path}: ${result.keyProblem}`);
    else if ('valueProblem' in result) problems.push(result.valueProblem);
    else values[name] = result.value;
  }
  return values;
}

/**
 * Reads the client's settings object by the settings schema, as the config file is read: a value the CLI would reject
 * is left out and named in `problems`.
 */
export function userSettingsToOptions(raw: unknown): { enable: boolean; options: AnalyzeOptions; problems: string[] } {
  const settings = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof ModelLintSettings, unknown>>;
  const options: AnalyzeOptions = {};
  const problems: string[] = [];
  if (typeof settings.rules === 'object' && settings.rules !== null) {
    options.rules = readGroup(`${SETTINGS_SECTION}.rules`, settings.rules, readSeverity, problems) as Record<string, SeveritySetting>;
  }
  if (typeof settings.thresholds === 'object' && settings.thresholds !== null) {
    options.thresholds = readGroup(`${SETTINGS_SECTION}.thresholds`, settings.thresholds, readThreshold, problems) as Partial<Thresholds>;
  }
  if (settings.maxFileSize !== undefined) {
    const problem = numberProblem(`${SETTINGS_SECTION}.maxFileSize`, MAX_FILE_SIZE_SETTING, settings.maxFileSize);
    if (problem !== null) problems.push(problem);
    else options.maxFileSize = settings.maxFileSize as number;
  }
  return { enable: settings.enable !== false, options, problems };
}

/** The `modelLint.probe` part of the client's settings object, invalid values replaced by their defaults. */
export function probeSettingsOf(raw: unknown): ProbeSettings {
  const settings = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof ModelLintSettings, unknown>>;
  return readProbeSettings(settings.probe);
}

/** File-system path of a URI, or null for non-file documents (no config file lookup then). */
export function pathOfUri(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** Merges the nearest config file over the user settings (file settings win). */
export type ConfigMerger = (userOptions: AnalyzeOptions, documentPath: string | null) => AnalyzeOptions;

/** Per-URI cache of resolved settings; dropped whenever settings or a config file change. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<ResolvedSettings>>();
  private supportsConfiguration = false;
  /** Settings a client pushed with workspace/didChangeConfiguration (used when it cannot answer workspace/configuration). */
  private pushedSettings: unknown = undefined;
  /** Problems of the user's settings already shown, so each is shown once, not once per document. */
  private readonly shownProblems = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly mergeConfig: ConfigMerger,
  ) {}

  /** Whether the client answers workspace/configuration (else defaults apply). */
  setSupportsConfiguration(value: boolean): void {
    this.supportsConfiguration = value;
  }

  /** Settings for one document. */
  get(uri: string): Promise<ResolvedSettings> {
    let pending = this.cache.get(uri);
    if (!pending) {
      pending = this.resolve(uri);
      this.cache.set(uri, pending);
    }
    return pending;
  }

  /** Drops everything (didChangeConfiguration, config file changed). */
  clear(): void {
    this.cache.clear();
  }

  /** Records the `modelLint` section of a didChangeConfiguration payload, when the client sent one. */
  setPushedSettings(settings: unknown): void {
    const section = typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
    if (section !== undefined) this.pushedSettings = section;
  }

  /** Drops one document's entry (closed). */
  delete(uri: string): void {
    this.cache.delete(uri);
  }

  private async resolve(uri: string): Promise<ResolvedSettings> {
    let raw: unknown = this.pushedSettings;
    if (this.supportsConfiguration) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
      } catch (error) {
        this.connection.console.warn(`model-lint: could not read settings for ${uri}: ${String(error)}`);
      }
    }
    const user = userSettingsToOptions(raw);
    for (const problem of user.problems) {
      if (this.shownProblems.has(problem)) continue;
      this.shownProblems.add(problem);
      void this.connection.window.showWarningMessage(`model-lint: ${problem} The setting is ignored.`);
    }
    let options = user.options;
    try {
      options = this.mergeConfig(user.options, pathOfUri(uri));
    } catch (error) {
      this.connection.console.error(`model-lint: could not read the config file for ${uri}: ${String(error)}`);
    }
    return { enable: user.enable, options, probe: probeSettingsOf(raw) };
  }
}
