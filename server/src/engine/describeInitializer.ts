// How an initializer is named to a person: one description for rule messages, hovers and the CLI.
import type { InitializerAttr, InitializerSpec } from './ir';
import { formatNumber } from '../../../common/src/numberFormat';

/** How a face wants the description; the words are the same everywhere. */
export interface DescribeInitializerOptions {
  /** 'markdown' puts a spec's name in a code span (hovers); 'plain' (the default) for messages and the CLI. */
  markup?: 'plain' | 'markdown';
  /** Say in words that a library default applies (default true); the CLI's table marks it with '*' instead. */
  sayDefault?: boolean;
}

// '?' marks a parameter written as something the engine could not read.
const shown = (value: number | null): string => formatNumber(value, { missing: '?' });

/** A spec with the parameters that matter (a zero mean, a gain of 1 are left out); an alias names a variance-scaling spec. */
export function describeSpec(spec: InitializerSpec, alias: string | null = null): string {
  switch (spec.kind) {
    case 'zeros':
    case 'ones':
      return spec.kind;
    case 'constant':
      return `constant(${shown(spec.value)})`;
    case 'randomNormal':
    case 'truncatedNormal':
      return `${spec.kind}(${spec.mean === 0 ? '' : `mean ${shown(spec.mean)}, `}stddev ${shown(spec.stddev)})`;
    case 'randomUniform':
      return `randomUniform(${shown(spec.minval)}, ${shown(spec.maxval)})`;
    case 'varianceScaling':
      if (alias !== null && alias !== 'varianceScaling') return alias;
      return `varianceScaling(scale ${shown(spec.scale)}, ${spec.mode ?? '?'}, ${spec.distribution ?? '?'})`;
    case 'orthogonal':
    case 'identity':
      return spec.gain === 1 ? spec.kind : `${spec.kind}(gain ${shown(spec.gain)})`;
    case 'unknown':
      return `unknown (${spec.reason})`;
  }
}

/**
 * How an initializer is named: the front end's label when it has one ("PyTorch default U(±1/√fan_in)",
 * "`nn.init.xavier_uniform_` on line 12"), else its spec, saying when it is the library default.
 */
export function describeInitializer(attr: InitializerAttr, options: DescribeInitializerOptions = {}): string {
  if (attr.label !== undefined) return attr.label;
  const spec = describeSpec(attr.spec, attr.alias);
  const name = options.markup === 'markdown' ? `\`${spec}\`` : spec;
  return attr.explicit || options.sayDefault === false ? name : `${name} (the library default)`;
}
