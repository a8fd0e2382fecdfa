// Webview script of the probe panel: draws a ProbeReport with Chart.js (current model vs the model with fixes applied).
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { UNKNOWN_INITIALIZER_MARKER, type ProbeModelReport, type ProbeRun } from '../../../common/src/probe';
import { parseToWebview, type FromWebviewMessage, type ToWebviewMessage } from '../../../common/src/probeWebview';
import { formatNumber, formatPercent } from '../../../common/src/numberFormat';

declare function acquireVsCodeApi(): {
  postMessage(message: FromWebviewMessage): void;
  setState(state: unknown): void;
  getState(): unknown;
};

Chart.register(...registerables);
const vscode = acquireVsCodeApi();
const charts: Chart[] = [];

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// The panel's cells mark a missing measurement with a dash, like the terminal table.
const MISSING = '–';

function chartCanvas(container: HTMLElement, title: string): HTMLCanvasElement {
  container.append(element('h2', title));
  const box = element('div', undefined, 'chart');
  const canvas = element('canvas');
  box.append(canvas);
  container.append(box);
  return canvas;
}

function addChart(canvas: HTMLCanvasElement, config: ChartConfiguration): void {
  charts.push(new Chart(canvas, config));
}

function drawModel(container: HTMLElement, model: ProbeModelReport, backend: string, placeOf: (line: number) => string): void {
  const section = element('section');
  section.dataset.model = model.name;
  section.append(element('h2', `${model.name} (${placeOf(model.line)}) · backend ${backend}`));
  if (model.error) {
    section.append(element('p', model.error, 'error'));
    container.append(section);
    return;
  }
  const findings = element('ul');
  const describe = (run: ProbeRun, label: string): void => {
    if (run.findings.length === 0) findings.append(element('li', `${label}: healthy`, 'healthy'));
    for (const finding of run.findings)
      findings.append(element('li', `${label}: ${finding.id}${finding.layer ? ` (${finding.layer})` : ''}: ${finding.message}`, 'finding'));
    for (const assumption of run.assumptions) findings.append(element('li', `${label} assumed: ${assumption}`, 'status'));
  };
  describe(model, 'Current');
  if (model.fixed) describe(model.fixed, 'Fixed');
  section.append(findings);
  section.append(layerTable(model, placeOf));

  const current = themeColor('--vscode-charts-red', '#f14c4c');
  const fixed = themeColor('--vscode-charts-green', '#89d185');
  const other = themeColor('--vscode-charts-blue', '#3794ff');
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const grid = themeColor('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
  Chart.defaults.color = foreground;
  Chart.defaults.borderColor = grid;
  const labels = model.layers.map((layer) => layer.name);
  const fixedLayer = (name: string) => model.fixed?.layers.find((layer) => layer.name === name);
  const positive = (value: number | null | undefined): number | null =>
    value !== null && value !== undefined && value > 0 && Number.isFinite(value) ? value : null;

  const grids = element('div', undefined, 'charts');
  section.append(grids);
  const cell = (): HTMLElement => {
    const div = element('div');
    grids.append(div);
    return div;
  };

  // A zero norm (a dead layer) has no place on a log axis: the title names those layers instead of hiding them.
  const zeroNorms = [...model.layers, ...(model.fixed?.layers ?? [])].filter((layer) => layer.gradNorm === 0).map((layer) => layer.name);
  const zeroNote = zeroNorms.length > 0 ? ` · exactly 0 (not drawable): ${[...new Set(zeroNorms)].join(', ')}` : '';
  addChart(chartCanvas(cell(), `Kernel-gradient norm per layer (log scale)${zeroNote}`), {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'current', data: model.layers.map((layer) => positive(layer.gradNorm)), backgroundColor: current },
        ...(model.fixed
          ? [{ label: 'fixed', data: model.layers.map((layer) => positive(fixedLayer(layer.name)?.gradNorm)), backgroundColor: fixed }]
          : []),
      ],
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { type: 'logarithmic' } } },
  });
  addChart(chartCanvas(cell(), 'Activation std per layer'), {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'current', data: model.layers.map((layer) => layer.activationStd), borderColor: current, backgroundColor: current },
        ...(model.fixed
          ? [
              {
                label: 'fixed',
                data: model.layers.map((layer) => fixedLayer(layer.name)?.activationStd ?? null),
                borderColor: fixed,
                backgroundColor: fixed,
              },
            ]
          : []),
      ],
    },
    options: { maintainAspectRatio: false, animation: false },
  });
  addChart(chartCanvas(cell(), 'Dead (ReLU) and saturated (sigmoid/tanh) fraction per layer'), {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'dead, current', data: model.layers.map((layer) => layer.deadFraction), backgroundColor: current },
        { label: 'saturated, current', data: model.layers.map((layer) => layer.saturatedFraction), backgroundColor: other },
        ...(model.fixed
          ? [
              {
                label: 'dead, fixed',
                data: model.layers.map((layer) => fixedLayer(layer.name)?.deadFraction ?? null),
                backgroundColor: fixed,
              },
            ]
          : []),
      ],
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 1 } } },
  });
  const steps = Math.max(model.loss.length, model.fixed?.loss.length ?? 0);
  addChart(chartCanvas(cell(), 'Loss per step'), {
    type: 'line',
    data: {
      labels: Array.from({ length: steps }, (_, i) => String(i + 1)),
      datasets: [
        { label: 'current', data: model.loss, borderColor: current, backgroundColor: current },
        ...(model.fixed ? [{ label: 'fixed', data: model.fixed.loss, borderColor: fixed, backgroundColor: fixed }] : []),
      ],
    },
    options: { maintainAspectRatio: false, animation: false },
  });
  container.append(section);
}

function layerTable(model: ProbeModelReport, placeOf: (line: number) => string): HTMLTableElement {
  const table = element('table');
  table.className = 'layers';
  const head = element('tr');
  for (const title of ['Layer', 'Type', 'Grad norm', 'Grad norm (fixed)', 'Activation std', 'Dead', 'Saturated'])
    head.append(element('th', title));
  table.append(head);
  for (const layer of model.layers) {
    const row = element('tr');
    row.dataset.layer = layer.name;
    const nameCell = element('td');
    if (layer.line !== null) {
      const link = element('a', layer.name, 'layer');
      const line = layer.line;
      link.title = `Reveal ${placeOf(line)}`;
      link.addEventListener('click', () => vscode.postMessage({ type: 'revealLayer', line }));
      nameCell.append(link);
    } else {
      nameCell.textContent = layer.name;
    }
    if (layer.initializerUnknown) {
      // The probe trained the library default here, not what the user wrote: said on the row itself.
      const marker = element('strong', ` (${UNKNOWN_INITIALIZER_MARKER}: ${layer.initializerUnknown})`, 'initializer-unknown');
      marker.title = layer.initializerUnknown;
      nameCell.append(marker);
    }
    const fixedLayer = model.fixed?.layers.find((candidate) => candidate.name === layer.name);
    row.append(
      nameCell,
      element('td', layer.type),
      element('td', formatNumber(layer.gradNorm, { missing: MISSING })),
      element('td', formatNumber(fixedLayer?.gradNorm, { missing: MISSING })),
      element('td', formatNumber(layer.activationStd, { missing: MISSING })),
      element('td', formatPercent(layer.deadFraction, MISSING)),
      element('td', formatPercent(layer.saturatedFraction, MISSING)),
    );
    table.append(row);
  }
  return table;
}

function render(message: Extract<ToWebviewMessage, { type: 'report' }>): void {
  for (const chart of charts.splice(0)) chart.destroy();
  const container = document.getElementById('models')!;
  container.replaceChildren();
  const backendNotes = message.report.backendNotes ?? [];
  if (backendNotes.length > 0) container.append(element('p', `Backend ${message.report.backend}: ${backendNotes.join(' ')}`, 'status'));
  // A notebook's lines come with labels naming their cell; a file's are plain line numbers.
  const placeOf = (line: number): string => message.lineLabels?.[String(line)] ?? `line ${line}`;
  for (const model of message.report.models) drawModel(container, model, message.report.backend, placeOf);
  setStatus(`${message.fileName.split(/[\\/]/).pop()}: ${message.report.models.length} model(s) probed`, false);
  document.body.dataset.probeState = 'drawn';
  vscode.setState({
    documentUri: message.documentUri,
    fileName: message.fileName,
    model: message.model,
    report: message.report,
    lineLabels: message.lineLabels,
  });
}

function setStatus(text: string, busy: boolean): void {
  const status = document.getElementById('status')!;
  status.textContent = text;
  (document.getElementById('rerun') as HTMLButtonElement).disabled = busy;
}

/** One PNG of every chart, stacked, on the editor background. */
function chartsAsPng(): string {
  const width = Math.max(1, ...charts.map((chart) => chart.canvas.width));
  const height = charts.reduce((sum, chart) => sum + chart.canvas.height, 0);
  const canvas = element('canvas');
  canvas.width = width;
  canvas.height = Math.max(1, height);
  const context = canvas.getContext('2d')!;
  context.fillStyle = themeColor('--vscode-editor-background', '#1e1e1e');
  context.fillRect(0, 0, canvas.width, canvas.height);
  let y = 0;
  for (const chart of charts) {
    context.drawImage(chart.canvas, 0, y);
    y += chart.canvas.height;
  }
  return canvas.toDataURL('image/png');
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseToWebview(event.data);
  if (!message) return; // only messages of the documented shapes are drawn
  if (message.type === 'status') setStatus(message.text, message.busy);
  else render(message);
});
document.getElementById('rerun')!.addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
document.getElementById('export-json')!.addEventListener('click', () => vscode.postMessage({ type: 'exportJson' }));
document.getElementById('export-png')!.addEventListener('click', () => vscode.postMessage({ type: 'exportPng', dataUrl: chartsAsPng() }));
vscode.postMessage({ type: 'ready' });

// After a reload VS Code restores the panel; the last drawn report comes back from the webview state.
const restored = parseToWebview({ type: 'report', ...((vscode.getState() as object | null) ?? {}) });
if (restored?.type === 'report') render(restored);
