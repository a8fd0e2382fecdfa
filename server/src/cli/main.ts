// Entry of the model-lint command line (bundled to dist/cli.js, started by bin/model-lint.js): runs and sets the exit code.
import { main } from './dispatch';
import { EXIT_USAGE_OR_INTERNAL } from './lint';

main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})
  .then((code) => {
    // exitCode rather than exit(): output still buffered for a pipe is written before the process ends.
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`model-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_USAGE_OR_INTERNAL;
  });
