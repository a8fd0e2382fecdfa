// Fixture of the real-editor tests: ordinary TypeScript without TensorFlow.js, which model-lint must leave alone.
export function zeros(count: number): number[] {
  return new Array<number>(count).fill(0);
}

export const activation = { kernelInitializer: 'zeros', activation: 'relu' };
