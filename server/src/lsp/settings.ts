// Settings per document: the client's `modelLint` section merged with the nearest .modellintrc.json, cached per URI.
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { readProbeSettings, type ProbeSettings } from '../../../common/src/probeOptions';
import { SETTINGS_SECTION, type ModelLintSettings } from '../../../common/src/protocol';
import type { AnalyzeOptions, SeveritySetting } from '../engine/types';

/** What one document is analysed with. */
export interface ResolvedSettings {
  enable: boolean;
  /** Merged options; the same object until the cache is dropped (the analysis cache relies on that). */
  options: AnalyzeOptions;
  /** The `modelLint.probe.*` settings (the server's probe command's defaults); the config file does not set them. */
  probe: ProbeSettings;
}

const SEVERITY_SETTINGS: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Reads the client's settings object defensively: wrong types are dropped, not trusted. */
export function userSettingsToOptions(raw: unknown): { enable: boolean; options: AnalyzeOptions } {
  const settings = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof ModelLintSettings, unknown>>;
  const options: AnalyzeOptions = {};
  if (typeof settings.rules === 'object' && settings.rules !== null) {
    const rules: Record<string, SeveritySetting> = {};
    for (const [id, severity] of Object.entries(settings.rules)) {
      if (typeof severity === 'string' && SEVERITY_SETTINGS.has(severity)) rules[id] = severity as SeveritySetting;
    }
    options.rules = rules;
  }
  if (typeof settings.thresholds === 'object' && settings.thresholds !== null) {
    const thresholds: Record<string, number> = {};
    for (const [key, value] of Object.entries(settings.thresholds)) if (typeof value === 'number' && Number.isFinite(value)) thresholds[key] = value;
    options.thresholds = thresholds;
  }
  if (typeof settings.maxFileSize === 'number' && settings.maxFileSize > 0) options.maxFileSize = settings.maxFileSize;
  return { enable: settings.enable !== false, options };
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

  constructor(private readonly connection: Connection, private readonly mergeConfig: ConfigMerger) {}

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
    let options = user.options;
    try {
      options = this.mergeConfig(user.options, pathOfUri(uri));
    } catch (error) {
      this.connection.console.error(`model-lint: could not read the config file for ${uri}: ${String(error)}`);
    }
    return { enable: user.enable, options, probe: probeSettingsOf(raw) };
  }
}
