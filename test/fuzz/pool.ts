// Worker threads that check fuzz inputs with a deadline per input: an input that takes longer is a hang, and the
// worker that ran it is ended and replaced, so one bad input cannot stall or take down the run.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckResult } from './checks';
import type { WorkerRequest } from './worker';

interface Task {
  request: WorkerRequest;
  resolve: (result: CheckResult) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/** Limits of one checking worker; a worker over its heap limit ends with an error, reported as a crash. */
export interface PoolOptions {
  workers: number;
  deadlineMs: number;
  heapLimitMb?: number;
}

/** A fixed number of checking workers fed from one queue. */
export class CheckPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < Math.max(1, options.workers); i++) this.slots.push(this.startSlot());
  }

  /** Checks one input; resolves with its failures (a hang or a crash among them), never rejects. */
  check(text: string, fileName: string): Promise<CheckResult> {
    return new Promise((resolve) => {
      this.queue.push({ request: { id: this.nextId++, text, fileName }, resolve });
      this.dispatch();
    });
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private startSlot(): Slot {
    const worker = new Worker(join(__dirname, 'worker.js'), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapLimitMb ?? 1024 },
    });
    const slot: Slot = { worker, task: null, timer: null };
    worker.on('message', (message: { id: number; result: CheckResult }) => {
      if (slot.task?.request.id === message.id) this.finish(slot, message.result);
    });
    worker.on('error', (error) => {
      this.replace(slot, {
        failures: [{ check: 'crash', detail: `worker died: ${error.name}: ${error.message}` }],
        analysisMs: NaN,
        diagnostics: 0,
        fixesChecked: 0,
      });
    });
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift() as Task;
      slot.task = task;
      slot.timer = setTimeout(() => {
        this.replace(slot, {
          failures: [{ check: 'hang', detail: `no result within ${this.options.deadlineMs} ms` }],
          analysisMs: this.options.deadlineMs,
          diagnostics: 0,
          fixesChecked: 0,
        });
      }, this.options.deadlineMs);
      slot.worker.postMessage(task.request);
    }
  }

  private finish(slot: Slot, result: CheckResult): void {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    task?.resolve(result);
    this.dispatch();
  }

  /** Ends a worker that hung or died and puts a fresh one in its place before resolving its task. */
  private replace(slot: Slot, result: CheckResult): void {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    void slot.worker.terminate();
    const index = this.slots.indexOf(slot);
    if (index >= 0 && !this.closed) this.slots[index] = this.startSlot();
    task?.resolve(result);
    this.dispatch();
  }
}
