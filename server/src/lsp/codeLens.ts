// Code lenses above each model: layer count, predicted gradient ratio with a verdict, and "Probe gradients".
import type { CodeLens, Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, ServerCommands, type ProbeCommandHandler, type ProbeModelArgs } from '../../../common/src/protocol';
import { resolveThresholds } from '../engine/analyze';
import type { AnalysisResult, AnalyzeOptions } from '../engine/types';
import { gradientVerdict } from '../engine/verdict';
import { formatNumber } from './format';

/**
 * The lenses of a document: two per model, at the model's first line; "Probe gradients" goes to whoever runs probes.
 * `positionOf` places a model's start offset in the document (a notebook cell gets only the models that start in it).
 */
export function codeLensesFor(
  document: TextDocument,
  result: AnalysisResult,
  options: AnalyzeOptions,
  probeHandler: ProbeCommandHandler = 'server',
  positionOf: (offset: number) => Position | null = (offset) => document.positionAt(offset),
): CodeLens[] {
  const probeCommand = probeHandler === 'client' ? Commands.probeModel : ServerCommands.probe;
  const thresholds = resolveThresholds(options);
  const lenses: CodeLens[] = [];
  result.models.forEach(({ model, signal }, modelIndex) => {
    const start = positionOf(model.span.start);
    if (start === null) return;
    const range = { start, end: start };
    const ratio = signal.predictedGradientRatio;
    const verdict = gradientVerdict(signal, thresholds);
    const layerCount = `${model.layers.length} layer${model.layers.length === 1 ? '' : 's'}`;
    const title = `model-lint: ${layerCount} · gradient ratio ${formatNumber(ratio)} · ${verdict}`;
    // A lens without a command is still shown by clients; an empty command id keeps it unclickable.
    lenses.push({ range, command: { title, command: '' } });
    const args: ProbeModelArgs = { uri: document.uri, modelIndex, modelName: model.name };
    lenses.push({ range, command: { title: 'Probe gradients', command: probeCommand, arguments: [args] } });
  });
  return lenses;
}
