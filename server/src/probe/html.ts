// Writes a probe report as one self-contained HTML page: Chart.js inlined, data embedded, no remote content.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UNKNOWN_INITIALIZER_MARKER, type ProbeReport } from '../../../common/src/probe';
import { formatNumber, formatPercent } from '../../../common/src/numberFormat';
import { lineLabel, type LinePlace } from './format';

/** The Chart.js UMD build: next to the bundle if copied there, else from the installed package; null when absent. */
export function chartJsSource(): string | null {
  const candidates = [join(__dirname, 'chart.umd.min.js')];
  try {
    candidates.push(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'));
  } catch {
    // not installed: the page falls back to tables
  }
  const found = candidates.find((file) => existsSync(file));
  return found ? readFileSync(found, 'utf8') : null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Embeds JSON in a script element safely: '<' is escaped so no '</script>' can close it. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// Draws the charts from the embedded report; runs in the page, which cannot import formatNumber: the log axis
// ticks are powers of ten, written in its exponent form ('1e-5').
const PAGE_SCRIPT = `
const report = JSON.parse(document.getElementById('probe-data').textContent);
const css = getComputedStyle(document.body);
const current = css.getPropertyValue('--current').trim(), fixed = css.getPropertyValue('--fixed').trim();
function chart(parent, title, config) {
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption'); caption.textContent = title; figure.appendChild(caption);
  const canvas = document.createElement('canvas'); figure.appendChild(canvas); parent.appendChild(figure);
  if (typeof Chart === 'undefined') { caption.textContent += ' (Chart.js was not available when this report was written)'; return; }
  new Chart(canvas, config);
}
function dataset(label, values, color, type) { return { label, data: values, borderColor: color, backgroundColor: color, type }; }
report.models.forEach((model, index) => {
  const section = document.getElementById('model-' + index);
  if (!section || model.error) return;
  const names = model.layers.map((l) => l.name);
  const fixedByName = new Map((model.fixed ? model.fixed.layers : []).map((l) => [l.name, l]));
  const grads = [dataset('as written', model.layers.map((l) => l.gradNorm), current)];
  if (model.fixed) grads.push(dataset('with fixes', names.map((n) => (fixedByName.get(n) || {}).gradNorm ?? null), fixed));
  chart(section, 'Kernel gradient norm per layer (log scale)', { type: 'bar', data: { labels: names, datasets: grads }, options: { scales: { y: { type: 'logarithmic', ticks: { callback: (v) => Number(v).toExponential(0).replace('e+', 'e') } } } } });
  const stds = [dataset('as written', model.layers.map((l) => l.activationStd), current)];
  if (model.fixed) stds.push(dataset('with fixes', names.map((n) => (fixedByName.get(n) || {}).activationStd ?? null), fixed));
  chart(section, 'Activation std per layer', { type: 'bar', data: { labels: names, datasets: stds } });
  chart(section, 'Dead (ReLU) and saturated (sigmoid/tanh) fraction per layer', { type: 'bar', data: { labels: names, datasets: [
    dataset('dead', model.layers.map((l) => l.deadFraction), current), dataset('saturated', model.layers.map((l) => l.saturatedFraction), fixed)] },
    options: { scales: { y: { min: 0, max: 1 } } } });
  const steps = Math.max(model.loss.length, model.fixed ? model.fixed.loss.length : 0);
  const losses = [dataset('as written', model.loss, current, 'line')];
  if (model.fixed) losses.push(dataset('with fixes', model.fixed.loss, fixed, 'line'));
  chart(section, 'Loss per step', { type: 'line', data: { labels: Array.from({ length: steps }, (_, i) => i + 1), datasets: losses } });
});
`;

/** The whole page. */
export function reportHtml(report: ProbeReport, fileName: string, place: LinePlace = (line) => ({ line })): string {
  const chartJs = chartJsSource();
  const sections = report.models
    .map((model, index) => {
      const findings = (run: { findings: { id: string; layer?: string; message: string }[] }): string =>
        run.findings.length === 0
          ? '<li>healthy: no finding</li>'
          : run.findings
              .map((f) => `<li><b>${escapeHtml(f.id)}</b>${f.layer ? ` (${escapeHtml(f.layer)})` : ''}: ${escapeHtml(f.message)}</li>`)
              .join('');
      const rows = model.layers
        .map(
          (l) =>
            `<tr><td>${escapeHtml(l.name)}${l.initializerUnknown ? ` <strong class="error" title="${escapeHtml(l.initializerUnknown)}">(${UNKNOWN_INITIALIZER_MARKER}: ${escapeHtml(l.initializerUnknown)})</strong>` : ''}</td><td>${escapeHtml(l.type)}</td><td>${l.line === null ? '-' : escapeHtml(lineLabel(place, l.line))}</td><td>${formatNumber(l.gradNorm)}</td><td>${formatNumber(l.activationStd)}</td><td>${formatPercent(l.deadFraction)}</td><td>${formatPercent(l.saturatedFraction)}</td><td>${formatNumber(l.lsuvScale)}</td></tr>`,
        )
        .join('');
      return `<section id="model-${index}"><h2>${escapeHtml(model.name)} <small>${escapeHtml(fileName)}:${escapeHtml(lineLabel(place, model.line))}</small></h2>
${
  model.error
    ? `<p class="error">Cannot probe: ${escapeHtml(model.error)}</p>`
    : `<h3>As written</h3><ul>${findings(model)}</ul>${model.fixed ? `<h3>With the fixes applied</h3><ul>${findings(model.fixed)}</ul>${model.fixed.assumptions.map((a) => `<p class="note">${escapeHtml(a)}</p>`).join('')}` : ''}
<table><thead><tr><th>layer</th><th>type</th><th>line</th><th>grad norm</th><th>act std</th><th>dead</th><th>saturated</th><th>LSUV factor</th></tr></thead><tbody>${rows}</tbody></table>
${model.assumptions.map((a) => `<p class="note">${escapeHtml(a)}</p>`).join('')}`
}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>model-lint probe: ${escapeHtml(fileName)}</title>
<style>
body { --current: #d9534f; --fixed: #2e8b57; font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: right; } td:first-child { text-align: left; }
figure { display: inline-block; width: 46%; min-width: 360px; margin: 1em 1%; } .error { color: #b00; } .note { color: #666; font-size: 90%; }
</style></head>
<body><h1>Gradient probe of ${escapeHtml(fileName)}</h1><p>Backend: ${escapeHtml(report.backend)}${(report.backendNotes ?? []).map((note) => ` (${escapeHtml(note)})`).join('')}</p>
${sections}
<script type="application/json" id="probe-data">${embeddedJson(report)}</script>
${chartJs ? `<script>${chartJs.replace(/<\/script/gi, '<\\/script')}</script>` : ''}
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
