// What the Python reader knows about a value: literals (as IR config values), library objects by their import path,
// layers, containers, instances of the file's own classes, tensors flowing through forward / call, parameters.
import type { SyntaxNode } from '@lezer/common';
import type { ConfigValue, InitializerSpec, Layer, Span } from '../../ir';

/** Which library a layer or model comes from. */
export type Framework = 'pytorch' | 'keras';

/** A layer as read from its constructor, before it is placed in a model. */
export interface PyLayerDraft extends Pick<
  Layer,
  | 'type'
  | 'className'
  | 'config'
  | 'properties'
  | 'span'
  | 'configSpan'
  | 'insertion'
  | 'activation'
  | 'kernelInitializer'
  | 'recurrentInitializer'
  | 'biasInitializer'
  | 'wrapper'
> {
  framework: Framework;
  /** Fans a PyTorch constructor states itself (in_features, in_channels × kernel): they beat shape inference. */
  fanIn?: number | null;
  fanOut?: number | null;
  /** The input shape (channels last, no batch) the constructor implies: Linear(784, …) → [784]. */
  impliedInput?: (number | null)[];
  wrapperConfig?: Record<string, ConfigValue>;
  notes: string[];
}

/** One constructed layer object: applied to tensors any number of times. */
export interface LayerObject {
  /** One draft per IR layer the object makes: an LSTM with num_layers 3 makes three, a MultiheadAttention two. */
  drafts: PyLayerDraft[];
  /** The library class path: 'torch.nn.Linear', 'keras.layers.Dense' (for isinstance checks). */
  classPath: string;
  /** Attribute path in its owner module, PyTorch state_dict style: 'fc1', 'layers.0', 'encoder.2'. */
  path: string | null;
  /** Source text that names the layer object in the class (`self.fc1`), for an inserted init line. */
  reference?: string;
  /** Where an init statement for this layer may be inserted: after the statement that assigned it. */
  statementEnd?: number;
  statementIndent?: string;
  /** True for layers without weights (activations, dropout, pooling): each application is its own IR node. */
  weightless: boolean;
}

/** A PyTorch container (Sequential, ModuleList, ModuleDict) or a Keras Sequential under construction. */
export interface ContainerObject {
  kind: 'sequential' | 'list' | 'dict' | 'kerasSequential';
  framework: Framework;
  items: { name: string; value: Value }[];
  span: Span;
  /** What could not be read while building it (shown on the models it belongs to, not on the file's other models). */
  notes?: string[];
}

/** An instance of one of the file's classes (an nn.Module or keras.Model subclass). */
export interface InstanceObject {
  cls: ClassInfo;
  attrs: Map<string, Value>;
  span: Span;
  /** What could not be read while its methods ran (shown on the models it belongs to). */
  notes?: string[];
}

/** A class defined in the file. */
export interface ClassInfo {
  name: string;
  node: SyntaxNode;
  nameSpan: Span;
  framework: Framework | null;
  methods: Map<string, SyntaxNode>;
  bases: ClassInfo[];
}

/** A function (or method, or lambda) defined in the file, with the scope it closes over. */
export interface FunctionObject {
  node: SyntaxNode;
  name: string;
  closure: Scope;
  self?: Value;
}

/** A layer application inside a traced forward / call: the IR nodes come from these. */
export interface Application {
  layer: LayerObject;
  inputs: Tensor[];
  order: number;
  /** For activation functions applied inline (F.relu(x)): the call's span. */
  span?: Span;
}

/** A tensor flowing through a traced forward / call: who produced it (null = the model input). */
export interface Tensor {
  producer: Application | null;
}

export type Value =
  | { kind: 'const'; value: ConfigValue }
  | { kind: 'list'; items: Value[] }
  | { kind: 'dict'; entries: Map<string, Value> }
  | { kind: 'path'; path: string }
  | { kind: 'layer'; layer: LayerObject }
  | { kind: 'container'; container: ContainerObject }
  | { kind: 'instance'; instance: InstanceObject }
  | { kind: 'function'; fn: FunctionObject }
  | { kind: 'class'; cls: ClassInfo }
  | { kind: 'tensor'; tensor: Tensor }
  | { kind: 'param'; owner: LayerObject; name: string; node: SyntaxNode }
  | { kind: 'initializer'; name: string; config: Record<string, ConfigValue>; span: Span; callee: string }
  | { kind: 'activation'; name: string | null; alpha?: number; span?: Span; fn: string }
  | { kind: 'spec'; spec: InitializerSpec; span: Span; text: string }
  | { kind: 'keras-model'; inputs: Tensor[]; outputs: Tensor[]; span: Span }
  | { kind: 'unknown'; reason: string };

/** Adds a note to a container or instance once. */
export function addNote(owner: { notes?: string[] }, note: string): void {
  owner.notes ??= [];
  if (!owner.notes.includes(note)) owner.notes.push(note);
}

/** Why a value cannot be iterated, in words. */
export function unreadableReason(value: Value): string {
  return value.kind === 'unknown' ? value.reason : `a ${value.kind} is not a sequence model-lint can list`;
}

/** A name scope: locals of a function or the module's globals. */
export interface Scope {
  names: Map<string, Value>;
  parent: Scope | null;
}

export function lookup(scope: Scope, name: string): Value | undefined {
  for (let s: Scope | null = scope; s !== null; s = s.parent) {
    const value = s.names.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * True for a value another part of the file could share or change: lists, dicts, layers, containers, instances,
 * tensors, models, parameters and constant lists or dicts. Read from the module's globals, it ties a definition's
 * models to the rest of the file. Functions, classes, library paths, initializers and scalars are not: what they
 * give depends on their text alone.
 */
export function isSharedState(value: Value): boolean {
  switch (value.kind) {
    case 'const':
      return typeof value.value === 'object' && value.value !== null;
    case 'path':
    case 'function':
    case 'class':
    case 'initializer':
    case 'activation':
    case 'spec':
    case 'unknown':
      return false;
    default:
      return true;
  }
}

export function unknownValue(reason: string): Value {
  return { kind: 'unknown', reason };
}

export function constValue(value: ConfigValue): Value {
  return { kind: 'const', value };
}

/** The IR config value of a Python value: literals as they are, everything else unknown with a reason. */
export function toConfig(value: Value): ConfigValue {
  switch (value.kind) {
    case 'const':
      return value.value;
    case 'list':
      return value.items.map(toConfig);
    case 'dict': {
      const out: Record<string, ConfigValue> = {};
      value.entries.forEach((item, key) => {
        out[key] = toConfig(item);
      });
      return out;
    }
    case 'unknown':
      return { kind: 'unknown', reason: value.reason };
    case 'path':
      return { kind: 'unknown', reason: `'${value.path}' is not a literal` };
    default:
      return { kind: 'unknown', reason: `a ${value.kind} is not a literal` };
  }
}

/** A known finite number, else null. */
export function numberOf(value: Value | undefined): number | null {
  return value?.kind === 'const' && typeof value.value === 'number' && Number.isFinite(value.value) ? value.value : null;
}
