// Number and initializer formatting shared by hovers and code lenses.
import type { InitializerAttr, InitializerSpec } from '../engine/ir';
import { formatNumber as formatAnyNumber } from '../../../common/src/numberFormat';

/** A number in a hover or lens by the project's one rule; 'n/a' when the engine could not tell. */
export function formatNumber(value: number | null | undefined): string {
  return formatAnyNumber(value, { missing: 'n/a' });
}

function param(name: string, value: number | string | null): string {
  return `${name} ${value === null ? '?' : typeof value === 'number' ? formatNumber(value) : value}`;
}

/** Human-readable form of a canonical initializer spec. */
export function describeSpec(spec: InitializerSpec): string {
  switch (spec.kind) {
    case 'zeros': case 'ones': return spec.kind;
    case 'constant': return `constant(${param('value', spec.value)})`;
    case 'randomNormal': case 'truncatedNormal': return `${spec.kind}(${param('mean', spec.mean)}, ${param('stddev', spec.stddev)})`;
    case 'randomUniform': return `randomUniform(${param('minval', spec.minval)}, ${param('maxval', spec.maxval)})`;
    case 'varianceScaling': return `varianceScaling(${param('scale', spec.scale)}, ${param('mode', spec.mode)}, ${param('distribution', spec.distribution)})`;
    case 'orthogonal': case 'identity': return `${spec.kind}(${param('gain', spec.gain)})`;
    case 'unknown': return `unknown (${spec.reason})`;
  }
}

/**
 * How an initializer attribute reads in a hover: alias when it is one, spec otherwise, and where it came from in the
 * framework's words when the front end says it (a PyTorch default, an nn.init call and its line, a self.apply).
 */
export function describeInitializer(attr: InitializerAttr | undefined): string {
  if (!attr) return 'none';
  const name = attr.alias ? `\`${attr.alias}\`` : `\`${describeSpec(attr.spec)}\``;
  if (attr.label) return `${name} — ${attr.label}`;
  return attr.explicit ? name : `${name} (library default)`;
}
