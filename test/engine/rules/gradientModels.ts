// Model texts shared by the vanishing/exploding gradient rule tables: deep sigmoid stacks and wide funnels.

/** `count` dense layers of 64 units with an activation and optional kernel initializer, the first with inputShape [64]. */
export function tsDenseStack(count: number, activation: string, initializer = ''): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `tf.layers.dense({units: 64, ${i === 0 ? 'inputShape: [64], ' : ''}activation: '${activation}'${initializer ? `, kernelInitializer: ${initializer}` : ''}})`,
  );
}

/** The same stack as Keras/TF.js JSON layer objects (`module` adds the Keras 3 fields). */
export function jsonDenseStack(count: number, activation: string, keras3 = false): string[] {
  return Array.from({ length: count }, (_, i) => {
    const config = `{"name": "d${i}", "units": 64, "activation": "${activation}"${i === 0 ? ', "batch_input_shape": [null, 64]' : ''}}`;
    return keras3
      ? `{"module": "keras.layers", "class_name": "Dense", "config": ${config}, "registered_name": null}`
      : `{"class_name": "Dense", "config": ${config}}`;
  });
}

/** A funnel of relu/He dense layers from `input` features down by `step` per layer to 4 units. */
export function tsFunnel(input: number, first: number, step: number): string[] {
  const layers: string[] = [];
  for (let units = first, i = 0; units >= 4; units /= step, i++) {
    layers.push(
      `tf.layers.dense({units: ${units}, ${i === 0 ? `inputShape: [${input}], ` : ''}activation: 'relu', kernelInitializer: 'heNormal'})`,
    );
  }
  return layers;
}

/** The funnel as JSON layer objects. */
export function jsonFunnel(input: number, first: number, step: number, keras3 = false): string[] {
  const layers: string[] = [];
  for (let units = first, i = 0; units >= 4; units /= step, i++) {
    const config = `{"name": "f${i}", "units": ${units}, "activation": "relu", "kernel_initializer": "he_normal"${i === 0 ? `, "batch_input_shape": [null, ${input}]` : ''}}`;
    layers.push(
      keras3
        ? `{"module": "keras.layers", "class_name": "Dense", "config": ${config}, "registered_name": null}`
        : `{"class_name": "Dense", "config": ${config}}`,
    );
  }
  return layers;
}
