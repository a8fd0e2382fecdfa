// Loads the TS/JS front end and TypeScript's compiler (about 45 MB resident) on first use: JSON-only work never pays for them.
import type * as TypeScriptFrontEnd from './ts';
import type * as TypeScriptCompiler from 'typescript';

let frontEnd: typeof TypeScriptFrontEnd | undefined;
let compiler: typeof TypeScriptCompiler | undefined;

/** The TS/JS front end module, loaded the first time a TS/JS text that may hold a model is parsed. */
export function typeScriptFrontEnd(): typeof TypeScriptFrontEnd {
  // A require at the point of use: the bundler then initializes the module (and TypeScript) here, not at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load is the point of this module
  frontEnd ??= require('./ts') as typeof TypeScriptFrontEnd;
  return frontEnd;
}

/** TypeScript's compiler API, loaded on first use. */
export function typeScriptCompiler(): typeof TypeScriptCompiler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load is the point of this module
  compiler ??= require('typescript') as typeof TypeScriptCompiler;
  return compiler;
}
