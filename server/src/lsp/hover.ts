// Hover on a layer: its initializer, Var(W) at its fan-in, activation, and the predicted scales at its depth.
import type { Hover } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Layer, Model, Span } from '../engine/ir';
import type { AnalysisResult, LayerSignal } from '../engine/types';
import { formatNumber } from './format';
import { describeInitializer } from '../engine/describeInitializer';
import { recommendedKernelInitializer } from '../engine/catalog/recommendations';
import { KERNEL_LAYER_TYPES } from '../engine/propagation';

/** A layer found at a position: the innermost one, with every copy a loop unrolled from the same source. */
export interface LayerAtPosition {
  model: Model;
  layer: Layer;
  index: number;
  /** Indexes (in the same model) of all layers built by this same source span, when it was unrolled. */
  copies: number[];
}

/** The innermost layer whose span holds the offset (the first copy when a loop built several), or null. */
export function layerAt(models: readonly Model[], offset: number): LayerAtPosition | null {
  let best: LayerAtPosition | null = null;
  const width = (layer: Layer): number => layer.span.end - layer.span.start;
  const visit = (model: Model): void => {
    model.layers.forEach((layer, index) => {
      if (offset < layer.span.start || offset > layer.span.end) return;
      if (best && best.model === model && best.layer.span.start === layer.span.start && best.layer.span.end === layer.span.end) {
        best.copies.push(index);
      } else if (!best || width(layer) < width(best.layer)) {
        best = { model, layer, index, copies: [index] };
      }
      if (layer.inner) visit(layer.inner);
    });
  };
  for (const model of models) visit(model);
  return best;
}

function signalOf(result: AnalysisResult, model: Model, layerId: string): LayerSignal | undefined {
  const analysed = result.models.find((m) => m.model === model);
  return analysed?.signal.layers.find((s) => s.layerId === layerId);
}

/** Markdown describing one layer (pure: used by the hover handler and tests). */
export function layerHoverMarkdown(result: AnalysisResult, found: LayerAtPosition): string {
  const { model, layer, index, copies } = found;
  const signal = signalOf(result, model, layer.id);
  const activation = layer.activation.name ?? 'unknown';
  const activationNote =
    layer.activation.source === 'layer' ? ' (from the following activation layer)' : layer.activation.explicit ? '' : ' (default)';
  const rows: [string, string][] = [
    ['Kernel initializer', layer.kernelInitializer ? describeInitializer(layer.kernelInitializer, { markup: 'markdown' }) : 'none'],
    ['Fans', `fan_in ${layer.fanIn ?? '?'} · fan_out ${layer.fanOut ?? '?'}`],
    [`Var(W) at fan-in ${layer.fanIn ?? '?'}`, formatNumber(signal?.kernelVariance ?? null)],
    ['Activation', `\`${activation}\`${activationNote}`],
  ];
  if (signal) {
    rows.push(['Forward scale', `q = ${formatNumber(signal.forwardVariance)} (×${formatNumber(signal.forwardGain)} at this layer)`]);
    const relative =
      signal.relativeGradientNorm === null ? '' : ` · kernel-gradient norm ${formatNumber(signal.relativeGradientNorm)} × the last layer's`;
    rows.push(['Gradient scale', `χ = ${formatNumber(signal.backwardGain)} at this layer${relative}`]);
  } else {
    rows.push(['Predicted scales', 'not available for this layer']);
  }
  const hasKernel = KERNEL_LAYER_TYPES.has(layer.type) || layer.kernelInitializer !== undefined;
  if (hasKernel && layer.activation.name) {
    const recommended = recommendedKernelInitializer(layer.activation.name, { alpha: layer.activation.alpha, dialect: model.dialect });
    rows.push([`Recommended for ${activation}`, `\`${recommended.alias}\` — ${recommended.reason}`]);
  }

  const last = copies[copies.length - 1]!;
  if (copies.length > 1) {
    const lastSignal = signalOf(result, model, model.layers[last]!.id);
    if (lastSignal) {
      const relative =
        lastSignal.relativeGradientNorm === null
          ? ''
          : ` · kernel-gradient norm ${formatNumber(lastSignal.relativeGradientNorm)} × the last layer's`;
      rows.push([`At the last copy (layer ${last + 1})`, `q = ${formatNumber(lastSignal.forwardVariance)}${relative}`]);
    }
  }
  const position =
    copies.length > 1
      ? `layers ${index + 1}–${last + 1} of ${model.layers.length} (${copies.length} copies from a loop; numbers for layer ${index + 1})`
      : `layer ${index + 1} of ${model.layers.length}`;
  const header = `**${layer.className}** \`${layer.name}\` — ${position} in \`${model.name}\``;
  const table = ['| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${value.replace(/\|/g, '\\|')} |`)].join('\n');
  return `${header}\n\n${table}`;
}

/** The hover's text and the layer's span (engine offsets) for an offset, or null when it is not inside a layer. */
export function layerHoverAt(result: AnalysisResult, offset: number): { markdown: string; span: Span } | null {
  const found = layerAt(
    result.models.map((m) => m.model),
    offset,
  );
  return found === null ? null : { markdown: layerHoverMarkdown(result, found), span: found.layer.span };
}

/** The hover for a position, or null when it is not inside a layer. */
export function hoverAt(document: TextDocument, result: AnalysisResult, offset: number): Hover | null {
  const found = layerHoverAt(result, offset);
  if (!found) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: found.markdown },
    range: { start: document.positionAt(found.span.start), end: document.positionAt(found.span.end) },
  };
}
