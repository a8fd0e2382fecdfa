// Expands the lint command's paths, directories and glob patterns into the list of files to check.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { CONFIG_FILE_NAME } from '../config';

/** Extensions picked up when walking a directory or matching a glob (JSON models are then recognised by content). */
export const LINTED_EXTENSIONS: readonly string[] = [
  '.ts',
  '.tsx',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.mts',
  '.cts',
  '.json',
  '.py',
  '.ipynb',
];

/** Folders never entered while walking: dependencies, VCS data and build output. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'out',
  '.venv',
  'venv',
  'site-packages',
  '__pycache__',
  '.ipynb_checkpoints',
]);

/** Files found, plus one message per argument that could not be used (each makes the exit code 2). */
export interface FileSelection {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  problems: string[];
}

/** Whether a walked file is a lint target: by extension, and never model-lint's own config file. */
function hasLintedExtension(path: string): boolean {
  if (path.endsWith(`${sep}${CONFIG_FILE_NAME}`)) return false;
  const lower = path.toLowerCase();
  return LINTED_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** Walks a directory depth-first, calling `visit` for each file; unreadable folders are reported, not fatal. */
function walk(directory: string, visit: (file: string) => void, problems: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    problems.push(`cannot read directory ${directory}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(full, visit, problems);
    } else if (entry.isFile()) {
      visit(full);
    } else if (entry.isSymbolicLink()) {
      // Linked files are followed; linked folders are not, so a link cycle cannot loop forever.
      try {
        if (statSync(full).isFile()) visit(full);
      } catch {
        problems.push(`broken symbolic link ${full}`);
      }
    }
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Resolves each argument: an existing file is taken as is, a directory is walked, anything else is matched as a glob. */
export function selectFiles(patterns: readonly string[], cwd: string): FileSelection {
  const found = new Set<string>();
  const problems: string[] = [];
  for (const pattern of patterns) {
    const absolute = resolve(cwd, pattern);
    let kind: 'file' | 'directory' | 'missing';
    try {
      const stats = statSync(absolute);
      kind = stats.isDirectory() ? 'directory' : 'file';
    } catch {
      kind = 'missing';
    }
    if (kind === 'file') {
      found.add(absolute);
      continue;
    }
    if (kind === 'directory') {
      walk(
        absolute,
        (file) => {
          if (hasLintedExtension(file)) found.add(file);
        },
        problems,
      );
      continue;
    }
    const scan = picomatch.scan(pattern);
    if (!scan.isGlob) {
      problems.push(`no such file or directory: ${pattern}`);
      continue;
    }
    const base = isAbsolute(scan.base) ? scan.base : resolve(cwd, scan.base || '.');
    const matches = picomatch(scan.glob, { dot: false });
    let matchCount = 0;
    let baseIsDirectory: boolean;
    try {
      baseIsDirectory = statSync(base).isDirectory();
    } catch {
      baseIsDirectory = false;
    }
    if (baseIsDirectory) {
      walk(
        base,
        (file) => {
          if (hasLintedExtension(file) && matches(toPosix(relative(base, file)))) {
            found.add(file);
            matchCount++;
          }
        },
        problems,
      );
    }
    if (matchCount === 0) problems.push(`no files match the pattern ${pattern}`);
  }
  return { files: [...found].sort(), problems };
}
