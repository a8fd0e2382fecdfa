// The package's Node API: the same engine the CLI and the language server use.
export { analyze, parseModels, DEFAULT_THRESHOLDS } from './engine/analyze';
export { RULES } from './engine/rules';
export type * from './engine/ir';
export type * from './engine/types';
