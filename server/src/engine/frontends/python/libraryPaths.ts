// Library paths under one spelling, whatever the file imported: tf.keras / tensorflow.keras / tf_keras → keras,
// torch.nn.modules.*.X → torch.nn.X.

/** Library paths under one spelling: tf.keras / tensorflow.keras / tf_keras → keras; torch.nn.modules.*.X → torch.nn.X. */
export function canonicalPath(path: string): string {
  let canonical = canonicalPaths.get(path);
  if (canonical === undefined) {
    canonical = computeCanonicalPath(path);
    if (canonicalPaths.size >= 4096) canonicalPaths.clear(); // bounded: paths come from user text
    canonicalPaths.set(path, canonical);
  }
  return canonical;
}

/** Canonical paths already computed: a file spells the same few library paths again and again. */
const canonicalPaths = new Map<string, string>();

function computeCanonicalPath(path: string): string {
  let p = path;
  if (p.startsWith('tensorflow.keras.')) p = `keras.${p.slice('tensorflow.keras.'.length)}`;
  else if (p === 'tensorflow.keras') p = 'keras';
  else if (p.startsWith('tf_keras.')) p = `keras.${p.slice('tf_keras.'.length)}`;
  else if (p.startsWith('tensorflow.python.keras.')) p = `keras.${p.slice('tensorflow.python.keras.'.length)}`;
  if (p.startsWith('keras.src.')) p = `keras.${p.slice('keras.src.'.length)}`;
  p = p.replace(/^keras\.layers\.(core|convolutional|recurrent|normalization|pooling|activation|regularization)\./, 'keras.layers.');
  p = p.replace(/^torch\.nn\.modules\.\w+\./, 'torch.nn.');
  if (p === 'keras.models.Sequential') p = 'keras.Sequential';
  if (p === 'keras.models.Model') p = 'keras.Model';
  if (p === 'keras.layers.Input') p = 'keras.Input';
  return p;
}
