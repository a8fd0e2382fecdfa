// Dispatch of the model-lint command line: `lint`, `rules` and `probe`, help and version.
import { RULES } from '../engine/rules';
import { EXIT_OK, EXIT_USAGE_OR_INTERNAL, runLintCommand, toolVersion, type CommandIO } from './lint';
import { runProbeCommand } from './probe';

const USAGE = `model-lint: catches weight initializations that do not fit their activations in TensorFlow.js code,
Keras / TF.js model JSON, PyTorch / Keras Python and Jupyter notebooks, and predicts each model's gradient health.

Usage:
  model-lint lint [paths or globs...] [options]   check files (model-lint lint --help for the options)
  model-lint rules [--format text|json]            list the rules with their default severity
  model-lint probe [options]                       train a few steps with TF.js and measure the gradients
  model-lint --help | --version
`;

function runRulesCommand(argv: readonly string[], io: CommandIO): number {
  let format: string | null = null;
  if (argv.length === 0) format = 'text';
  else if (argv.length === 1 && argv[0].startsWith('--format=')) format = argv[0].slice('--format='.length);
  else if (argv.length === 2 && (argv[0] === '--format' || argv[0] === '-f')) format = argv[1];
  if (format !== 'text' && format !== 'json') {
    io.stderr(`model-lint: usage: model-lint rules [--format text|json]\n`);
    return EXIT_USAGE_OR_INTERNAL;
  }
  const rules = [...RULES].map((rule) => rule.meta).sort((a, b) => a.id.localeCompare(b.id));
  if (format === 'json') {
    io.stdout(JSON.stringify(rules, null, 2) + '\n');
    return EXIT_OK;
  }
  if (rules.length === 0) {
    io.stdout('No rules are registered in this build.\n');
    return EXIT_OK;
  }
  const idWidth = Math.max(...rules.map((rule) => rule.id.length));
  const lines = rules.map((rule) => {
    const fixable = rule.fixable === 'safe' ? 'fix' : rule.fixable === 'suggestion' ? 'suggest' : '-';
    return `${rule.id.padEnd(idWidth)}  ${rule.defaultSeverity.padEnd(8)}  ${fixable.padEnd(7)}  ${rule.description}`;
  });
  io.stdout(`${'rule'.padEnd(idWidth)}  severity  fix      description\n${lines.join('\n')}\n`);
  return EXIT_OK;
}

/** Runs the CLI with the arguments after the program name; resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      (command === undefined ? io.stderr : io.stdout)(USAGE);
      return command === undefined ? EXIT_USAGE_OR_INTERNAL : EXIT_OK;
    case '--version':
    case '-v':
      io.stdout(`${toolVersion()}\n`);
      return EXIT_OK;
    case 'lint':
      return runLintCommand(rest, io);
    case 'rules':
      return runRulesCommand(rest, io);
    case 'probe':
      return runProbeCommand([...rest]);
    default:
      io.stderr(`model-lint: unknown command '${command}'.\n${USAGE}`);
      return EXIT_USAGE_OR_INTERNAL;
  }
}
