// How every face of model-lint (rule messages, hovers, code lenses, CLI summary, probe reports, webview) shows a number to a person.
// Pure and dependency-free so the browser bundle of the webview can import it without pulling in the engine.
// Machine output (CLI JSON, SARIF properties, embedded report data) keeps raw numbers and does not go through here.

/** Significant digits a number is shown with unless a face asks for more (a loss curve wants 4). */
export const DEFAULT_SIGNIFICANT_DIGITS = 3;

/** Smallest magnitude shown as a plain decimal; below it the exponent form reads better than a run of zeros. */
export const PLAIN_MIN = 1e-3;

/** First magnitude shown in exponent form at the large end. */
export const PLAIN_LIMIT = 1e4;

/** How one face wants numbers shown. */
export interface NumberFormatOptions {
  /** What stands for a missing value (null, undefined or NaN): '-' in tables, 'n/a' in hovers, '?' for unknown parameters. */
  missing?: string;
  /** Significant digits of the plain form; the exponent form keeps one fewer. Default 3. */
  digits?: number;
}

/**
 * The one rule for a number shown to a person.
 * Rounded to 3 significant digits (or `digits`), a magnitude in [1e-3, 1e4) is a plain decimal without trailing
 * zeros (0.5, 12.3, 0.00123, 1230); anything smaller or larger is in exponent form with one digit fewer and no '+'
 * or trailing zeros (3.9e-6, 1e-4, 1.2e5). 0 is '0' (also -0), ±Infinity is 'infinity' / '-infinity', and
 * null, undefined and NaN are the face's missing marker (default '-'): NaN comes from 0/0 ratios with no meaning.
 */
export function formatNumber(value: number | null | undefined, options: NumberFormatOptions = {}): string {
  if (value === null || value === undefined || Number.isNaN(value)) return options.missing ?? '-';
  if (!Number.isFinite(value)) return value > 0 ? 'infinity' : '-infinity';
  if (value === 0) return '0';
  const digits = Math.max(1, options.digits ?? DEFAULT_SIGNIFICANT_DIGITS);
  // Decide on the rounded value so 0.0009996 reads 0.001 and 9999.7 reads 1e4, never a 5-digit plain number.
  const rounded = Number(value.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  if (magnitude >= PLAIN_MIN && magnitude < PLAIN_LIMIT) return String(rounded);
  const [mantissa, exponent] = value.toExponential(Math.max(0, digits - 2)).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/**
 * A share in [0, 1] as a percentage: the share times 100 by the rule of formatNumber with 2 significant digits,
 * then '%' (37%, 0.5%, 100%); null, undefined and NaN are the missing marker (default '-').
 */
export function formatPercent(share: number | null | undefined, missing = '-'): string {
  if (share === null || share === undefined || Number.isNaN(share)) return missing;
  return `${formatNumber(share * 100, { digits: 2 })}%`;
}
