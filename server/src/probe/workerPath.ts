// Where the probe worker's script is for the CLI and the language server: next to their bundle, or beside this file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The worker script next to this module: the bundle's probeWorker.js (dist/) or tsc's worker.js (out/). */
export function defaultWorkerPath(): string {
  const bundled = join(__dirname, 'probeWorker.js');
  return existsSync(bundled) ? bundled : join(__dirname, 'worker.js');
}
