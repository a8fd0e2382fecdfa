// Sets up the Python libraries the catalog is checked against (real Keras 3 on its numpy backend) in a virtual
// environment inside the checkout: node scripts/python-oracles.mjs. Idempotent: a venv that already imports its
// libraries is left alone. pip keeps its own download cache, so a second setup on the same machine is fast.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One virtual environment: where it lives, what it installs, and the import that proves it works. */
const ENVIRONMENTS = [
  {
    name: 'Keras 3',
    dir: join(root, '.cache/keras-venv'),
    packages: ['keras', 'jax'],
    check: 'import keras; print(keras.__version__)',
    env: { KERAS_BACKEND: 'numpy' },
  },
];

/** Interpreters tried for `-m venv`, in order: the python3 on PATH, then Debian's. */
const PYTHONS = ['python3', '/usr/bin/python3'];

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: 'utf8', ...options });
}

function venvPython(dir) {
  return process.platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

/** The version the venv's check prints, or null when the venv does not import its libraries. */
function installedVersion(environment) {
  const python = venvPython(environment.dir);
  if (!existsSync(python)) return null;
  const result = run(python, ['-c', environment.check], { env: { ...process.env, ...environment.env } });
  return result.status === 0 ? result.stdout.trim() : null;
}

function createVenv(dir) {
  const failures = [];
  for (const python of PYTHONS) {
    rmSync(dir, { recursive: true, force: true });
    const result = run(python, ['-m', 'venv', dir]);
    if (result.status === 0 && existsSync(venvPython(dir))) {
      console.log(`python-oracles: created ${dir} with ${python}`);
      return;
    }
    failures.push(`${python}: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').pop()}`);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(
    `python-oracles: no python3 could create a virtual environment (Debian: apt-get install python3-venv)\n  ${failures.join('\n  ')}`,
  );
}

function setUp(environment) {
  const before = installedVersion(environment);
  if (before !== null) {
    console.log(`python-oracles: ${environment.name} ${before} already in ${environment.dir}, nothing to do`);
    return;
  }
  if (!existsSync(venvPython(environment.dir))) createVenv(environment.dir);
  const started = Date.now();
  console.log(`python-oracles: pip install ${environment.packages.join(' ')} (this takes a while on a first run)`);
  const pip = run(
    venvPython(environment.dir),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...environment.packages],
    { stdio: 'inherit' },
  );
  if (pip.status !== 0) throw new Error(`python-oracles: pip install failed (exit ${pip.status})`);
  const after = installedVersion(environment);
  if (after === null) throw new Error(`python-oracles: ${environment.name} installed but does not import: ${environment.check}`);
  console.log(
    `python-oracles: ${environment.name} ${after} installed in ${environment.dir} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
}

try {
  for (const environment of ENVIRONMENTS) setUp(environment);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
