// Cheap checks that decide, before any parsing, whether a text can hold a model: the engine picks its front end with
// them, and the VS Code client's activation gate uses the same ones so it never disagrees with the engine.

const TS_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
const JSON_EXTENSIONS = /\.(json|jsonc|json5)$/i;
const PYTHON_EXTENSIONS = /\.(py|pyi|pyw)$/i;

/** Which front end a file name selects. */
export function languageOf(fileName: string): 'typescript' | 'json' | 'python' | null {
  if (TS_EXTENSIONS.test(fileName)) return 'typescript';
  if (PYTHON_EXTENSIONS.test(fileName)) return 'python';
  if (JSON_EXTENSIONS.test(fileName)) return 'json';
  return null;
}

/** True when TS/JS text mentions TensorFlow.js at all (import, require, or tf.layers use). */
export function mayHoldTfjsModel(text: string): boolean {
  return (
    text.includes('@tensorflow/tfjs') ||
    /\blayers\s*\.\s*\w+\s*\(/.test(text) ||
    (/\b(sequential|model)\s*\(/.test(text) && text.includes('tf'))
  );
}

/** True when JSON text can hold a Keras / TF.js model topology. */
export function mayHoldModelJson(text: string): boolean {
  return /"(class_name|modelTopology|model_config)"/.test(text);
}

/** True when Python text mentions PyTorch, Keras or TensorFlow at all. */
export function mayHoldPythonModel(text: string): boolean {
  return /\b(torch|keras|tensorflow)\b/.test(text);
}
