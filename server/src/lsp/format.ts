// Number formatting shared by hovers and code lenses (initializers are named by the engine's describeInitializer).
import { formatNumber as formatAnyNumber } from '../../../common/src/numberFormat';

/** A number in a hover or lens by the project's one rule; 'n/a' when the engine could not tell. */
export function formatNumber(value: number | null | undefined): string {
  return formatAnyNumber(value, { missing: 'n/a' });
}
