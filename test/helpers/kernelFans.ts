// Keras / TF.js computeFans of a kernel shape, for tests that compare the front ends' fans with kernels TF.js builds.

/** [fanIn, fanOut] of a kernel shape: [in, out], or [...receptive field, in, out] with both times the receptive field. */
export function kernelFans(shape: readonly number[]): [number, number] {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}
