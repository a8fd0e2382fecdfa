// The server-side "Probe gradients" command: probes one model of an open document in the probe worker, with cancellable progress.
import { dirname } from 'node:path';
import {
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProbeReport, ProbeRun } from '../../../common/src/probe';
import { inputShapeArgument, probeOptionOverrides, probeOptionsOf, type ProbeSettings } from '../../../common/src/probeOptions';
import {
  ServerCommands,
  type ModelLintInitializationOptions,
  type ProbeCommandHandler,
  type ProbeModelArgs,
  type ServerProbeOptions,
} from '../../../common/src/protocol';
import type { AnalysisResult } from '../engine/types';
import { ProbeAborted, runProbe } from '../../../common/src/probeWorkerClient';
import type { ProbeProgress, ProbeRequest } from '../../../common/src/probeWorkerProtocol';
import { reportText } from '../probe/format';
import { defaultWorkerPath } from '../probe/workerPath';
import { fileNameOf } from './documents';
import { pathOfUri } from './settings';

/** The open document, its current analysis and its `modelLint.probe.*` settings; null when the document is not open, not served or disabled. */
export type OpenAnalysis = (
  uri: string,
) => Promise<{ document: TextDocument; result: AnalysisResult | null; probeSettings: ProbeSettings } | null>;

/** Reads the lens arguments defensively: any client can send anything. Only the valid options of the second argument are kept. */
export function parseProbeArguments(args: unknown[] | undefined): { target: ProbeModelArgs; options: ServerProbeOptions } {
  const [first, second] = args ?? [];
  const target = (typeof first === 'object' && first !== null ? first : {}) as Partial<Record<keyof ProbeModelArgs, unknown>>;
  if (
    typeof target.uri !== 'string' ||
    typeof target.modelIndex !== 'number' ||
    !Number.isInteger(target.modelIndex) ||
    target.modelIndex < 0
  ) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `${ServerCommands.probe} expects { uri, modelIndex, modelName } as its first argument (the "Probe gradients" lens's arguments).`,
    );
  }
  const raw = (typeof second === 'object' && second !== null ? second : {}) as Record<string, unknown>;
  const options: ServerProbeOptions = { ...probeOptionOverrides(raw), compareFixed: raw.compareFixed !== false };
  const inputShape = inputShapeArgument(raw.inputShape);
  if (inputShape) options.inputShape = inputShape;
  return {
    target: { uri: target.uri, modelIndex: target.modelIndex, modelName: typeof target.modelName === 'string' ? target.modelName : '' },
    options,
  };
}

/** The probe's settings for one run: the command's explicit options over the document's settings. */
export function effectiveProbeSettings(settings: ProbeSettings, explicit: ServerProbeOptions): ProbeSettings {
  return { ...settings, ...probeOptionOverrides(explicit) };
}

function findingSummary(run: ProbeRun): string {
  if (run.findings.length === 0) return 'healthy';
  return run.findings.map((f) => `${f.id}${f.layer ? ` (${f.layer})` : ''}`).join(', ');
}

/** One line per model for window/showMessage, and its severity: Error when a model could not be probed, Warning on any finding. */
export function reportSummary(report: ProbeReport): { type: MessageType; message: string } {
  let type: MessageType = MessageType.Info;
  const lines = report.models.map((model) => {
    if (model.error) {
      type = MessageType.Error;
      return `model-lint probe of '${model.name}' failed: ${model.error}`;
    }
    if (type !== MessageType.Error && (model.findings.length > 0 || (model.fixed?.findings.length ?? 0) > 0)) type = MessageType.Warning;
    const fixed = model.fixed ? `; with the fixes applied: ${findingSummary(model.fixed)}` : '';
    return `model-lint probe of '${model.name}' (${report.backend}): ${findingSummary(model)}${fixed}.`;
  });
  return { type, message: lines.join('\n') };
}

function progressMessage(progress: ProbeProgress): { percentage: number; message: string } {
  // The current model fills the first half of the bar, the fixed variant the second.
  const fraction = progress.step / Math.max(1, progress.steps);
  const percentage = Math.round(progress.variant === 'current' ? fraction * 50 : 50 + fraction * 50);
  return {
    percentage: Math.min(100, percentage),
    message: `${progress.model} (${progress.variant}) step ${progress.step}/${progress.steps}`,
  };
}

/**
 * Runs ServerCommands.probe for clients without their own probe UI. One probe per model at a time: a second request
 * for the same model cancels the running one (the user re-probes after an edit), which then answers "cancelled".
 */
export class ServerProbeCommand {
  private workDoneProgress = false;
  private handler: ProbeCommandHandler = 'server';
  private workspaceRoot: string | undefined;
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly connection: Connection,
    private readonly openAnalysis: OpenAnalysis,
  ) {}

  /** Reads what the client supports and whether it runs probes itself (initializationOptions.probeCommand). */
  configure(params: InitializeParams): void {
    this.workDoneProgress = params.capabilities.window?.workDoneProgress === true;
    const options = (
      typeof params.initializationOptions === 'object' && params.initializationOptions !== null ? params.initializationOptions : {}
    ) as ModelLintInitializationOptions;
    this.handler = options.probeCommand === 'client' ? 'client' : 'server';
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    this.workspaceRoot = root ? (pathOfUri(root) ?? undefined) : undefined;
  }

  /** Who the lens's command goes to. */
  get lensHandler(): ProbeCommandHandler {
    return this.handler;
  }

  /** Handles workspace/executeCommand for ServerCommands.probe: the ProbeReport, or a ResponseError (cancelled, no such model, ...). */
  async execute(
    args: unknown[] | undefined,
    token: CancellationToken,
    clientProgress: WorkDoneProgressReporter | undefined,
  ): Promise<ProbeReport> {
    let progress: WorkDoneProgressReporter | undefined = clientProgress;
    const abort = new AbortController();
    let key: string | undefined;
    try {
      const { target, options } = parseProbeArguments(args);
      const open = await this.openAnalysis(target.uri);
      if (!open)
        throw new ResponseError(
          LSPErrorCodes.RequestFailed,
          `model-lint probe: ${target.uri} is not open in the editor (or model-lint is disabled for it).`,
        );
      const models = open.result?.models ?? [];
      // The lens may be older than the text: trust the model's name over its index when they disagree.
      let index = target.modelIndex;
      if (target.modelName && models[index]?.model.name !== target.modelName) {
        const byName = models.findIndex((m) => m.model.name === target.modelName);
        if (byName >= 0) index = byName;
      }
      if (!models[index]) {
        throw new ResponseError(
          LSPErrorCodes.RequestFailed,
          `model-lint probe: the document has no model ${target.modelName ? `'${target.modelName}'` : `at index ${index}`} (it has ${models.length}).`,
        );
      }
      const modelName = models[index]!.model.name;
      key = `${target.uri}#${modelName}`;
      this.running.get(key)?.abort();
      this.running.set(key, abort);
      const onCancel = token.onCancellationRequested(() => abort.abort());
      try {
        if (!progress && this.workDoneProgress) {
          const created = await this.connection.window.createWorkDoneProgress();
          created.token.onCancellationRequested(() => abort.abort());
          progress = created;
        }
        progress?.begin(`model-lint: probing '${modelName}'`, 0, 'starting the probe worker', true);
        const fileName = fileNameOf(open.document);
        const probe = effectiveProbeSettings(open.probeSettings, options);
        const request: ProbeRequest = {
          text: open.document.getText(),
          fileName,
          model: index,
          backend: probe.backend,
          compareFixed: options.compareFixed,
          options: { ...probeOptionsOf(probe), ...(options.inputShape ? { inputShape: options.inputShape } : {}) },
          workspaceRoot: this.workspaceRoot ?? (fileName.startsWith('/') || /^[A-Za-z]:/.test(fileName) ? dirname(fileName) : undefined),
        };
        const report = await runProbe(request, {
          signal: abort.signal,
          workerPath: defaultWorkerPath(),
          onProgress: (step) => {
            const { percentage, message } = progressMessage(step);
            progress?.report(percentage, message);
          },
        });
        const summary = reportSummary(report);
        void this.connection.sendNotification('window/showMessage', summary);
        this.connection.console.log(reportText(report, fileName));
        return report;
      } finally {
        onCancel.dispose();
      }
    } catch (error) {
      if (error instanceof ProbeAborted) {
        this.connection.console.info('model-lint probe: cancelled.');
        throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The probe was cancelled.');
      }
      const message = error instanceof Error ? error.message : String(error);
      void this.connection.sendNotification('window/showMessage', {
        type: MessageType.Error,
        message: message.startsWith('model-lint') ? message : `model-lint probe: ${message}`,
      });
      if (error instanceof ResponseError) throw error;
      throw new ResponseError(LSPErrorCodes.RequestFailed, message);
    } finally {
      progress?.done();
      if (key && this.running.get(key) === abort) this.running.delete(key);
    }
  }
}
