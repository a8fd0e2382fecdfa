// Conv2D's gradients on the wasm backend: the filter gradient it lacks and a faster input gradient.
import * as tf from '@tensorflow/tfjs';
import { run, type Info, type KernelArgs, type WasmBackend } from './wasmKernelRegistry';

/*
 * Why: the wasm backend has no Conv2DBackpropFilter kernel at all, so no Conv2D model could train on it: we add one
 * (patches built on the heap, then one fast matmul; at stride 1 the patches are contiguous runs copied natively,
 * so the kernel costs about one forward convolution). Its Conv2DBackpropInput is a scalar loop (seconds per step for a
 * small CNN); the input gradient is a plain convolution of the output gradient, spread on the input's grid, with
 * the flipped filter, which runs on XNNPACK's Conv2D.
 */

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
}

function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error('the wasm conv gradients support channels-last (NHWC) only.');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad as never,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/**
 * dW = patches^T dy with stride 1, where no element is gathered one by one. x is padded and transposed once to
 * xT [inChannels, rows of the padded grid]; dy is laid on the same padded grid (zeros where no output is). On that
 * grid a filter tap (kh, kw) is a constant row offset kh * paddedWidth + kw, so each patch row is one contiguous
 * run of xT, copied natively. One matmul [taps * inChannels, rows] @ [rows, outChannels] then gives dW in its
 * own layout. Other strides take the gathering im2col below.
 */
function conv2dBackpropFilterStride1(
  backend: WasmBackend,
  x: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
  filterShape: number[],
): Info | null {
  const [batch, height, width, inChannels] = x.shape;
  const { filterHeight, filterWidth, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  const paddedHeight = outHeight + filterHeight - 1;
  const paddedWidth = outWidth + filterWidth - 1;
  if (top < 0 || left < 0 || height + top > paddedHeight || width + left > paddedWidth) return null;
  const gridRows = batch * paddedHeight * paddedWidth;
  // Rows past the last output position only ever meet zeros of dy, so they are left out.
  const rows = gridRows - (filterHeight - 1) * paddedWidth - (filterWidth - 1);
  const taps = filterHeight * filterWidth;
  const temporaries: Info[] = [];
  try {
    const xT = backend.makeOutput([inChannels, gridRows], 'float32');
    temporaries.push(xT);
    const dyGrid = backend.makeOutput([rows, outChannels], 'float32');
    temporaries.push(dyGrid);
    const patchesT = backend.makeOutput([taps * inChannels, rows], 'float32');
    temporaries.push(patchesT);
    // Views are taken after the allocations: growing the heap detaches older views.
    const input = backend.typedArrayFromHeap(x);
    const xTValues = backend.typedArrayFromHeap(xT).fill(0);
    for (let b = 0; b < batch; b++) {
      for (let ih = 0; ih < height; ih++) {
        const from = (b * height + ih) * width * inChannels;
        const gridRow = (b * paddedHeight + ih + top) * paddedWidth + left;
        for (let ci = 0; ci < inChannels; ci++) {
          let to = ci * gridRows + gridRow;
          for (let iw = 0, at = from + ci; iw < width; iw++, at += inChannels) xTValues[to++] = input[at];
        }
      }
    }
    const gradient = backend.typedArrayFromHeap(dy);
    const dyValues = backend.typedArrayFromHeap(dyGrid).fill(0);
    const lineLength = outWidth * outChannels;
    for (let b = 0; b < batch; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        const from = (b * outHeight + oh) * lineLength;
        dyValues.set(gradient.subarray(from, from + lineLength), (b * paddedHeight + oh) * paddedWidth * outChannels);
      }
    }
    const patches = backend.typedArrayFromHeap(patchesT);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        const offset = kh * paddedWidth + kw;
        for (let ci = 0; ci < inChannels; ci++) {
          const from = ci * gridRows + offset;
          patches.set(xTValues.subarray(from, from + rows), ((kh * filterWidth + kw) * inChannels + ci) * rows);
        }
      }
    }
    const grad2d = run('BatchMatMul', backend, { a: patchesT, b: dyGrid }, { transposeA: false, transposeB: false });
    temporaries.push(grad2d);
    return run('Reshape', backend, { x: grad2d }, { shape: filterShape });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/**
 * dW = patches^T dy. The patches are written on the heap already transposed ([taps * inChannels, positions]), so
 * the one matmul needs no transpose and XNNPACK repacks only dy (its right operand), not the 9x larger patches.
 */
export function conv2dBackpropFilter(args: KernelArgs): Info {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const info = convInfo(x.shape, attrs.filterShape, attrs);
  if (info.strideHeight === 1 && info.strideWidth === 1) {
    const result = conv2dBackpropFilterStride1(backend, x, dy, info, attrs.filterShape);
    if (result) return result;
  }
  const [batch, height, width, inChannels] = x.shape;
  const { filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  const positions = batch * outHeight * outWidth;
  const patchRows = filterHeight * filterWidth * inChannels;
  const temporaries: Info[] = [];
  try {
    const patchesT = backend.makeOutput([patchRows, positions], 'float32');
    temporaries.push(patchesT);
    const input = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(patchesT);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        for (let ci = 0; ci < inChannels; ci++) {
          // Writes run along one contiguous row; reads stride over x by inChannels.
          let to = ((kh * filterWidth + kw) * inChannels + ci) * positions;
          for (let b = 0; b < batch; b++) {
            for (let oh = 0; oh < outHeight; oh++) {
              const ih = oh * strideHeight + kh - top;
              if (ih < 0 || ih >= height) {
                target.fill(0, to, to + outWidth);
                to += outWidth;
                continue;
              }
              const rowBase = (b * height + ih) * width;
              for (let ow = 0; ow < outWidth; ow++, to++) {
                const iw = ow * strideWidth + kw - left;
                target[to] = iw < 0 || iw >= width ? 0 : input[(rowBase + iw) * inChannels + ci];
              }
            }
          }
        }
      }
    }
    const dy2d = run('Reshape', backend, { x: dy }, { shape: [positions, outChannels] });
    temporaries.push(dy2d);
    const grad2d = run('BatchMatMul', backend, { a: patchesT, b: dy2d }, { transposeA: false, transposeB: false });
    temporaries.push(grad2d);
    return run('Reshape', backend, { x: grad2d }, { shape: attrs.filterShape });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/**
 * dx = conv2d(G, filter flipped in space with in/out channels swapped, stride 1, valid), where G is dy spread on the
 * input's grid: dy[oh, ow] lands at (filter - 1 - pad) + (oh, ow) * stride, zeros elsewhere. For stride 1 that is a
 * plain padding; for larger strides the zeros between the dy values cost stride^2 more multiplications than needed,
 * but the convolution runs on XNNPACK while the library's own kernel is a scalar loop (~13x a forward pass at stride 2).
 */
export function conv2dBackpropInput(original: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    if (attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(attrs.inputShape, filter.shape, attrs);
    const { filterHeight, filterWidth, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
    const [batch, height, width] = attrs.inputShape;
    const padTop = filterHeight - 1 - info.padInfo.top;
    const padLeft = filterWidth - 1 - info.padInfo.left;
    if (padTop < 0 || padLeft < 0) return original.kernelFunc(args);
    const gridHeight = height + filterHeight - 1;
    const gridWidth = width + filterWidth - 1;
    const temporaries: Info[] = [];
    try {
      const flipped = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
      temporaries.push(flipped);
      const grid = backend.makeOutput([batch, gridHeight, gridWidth, outChannels], 'float32');
      temporaries.push(grid);
      // Views are taken after the allocations: growing the heap detaches older views.
      const source = backend.typedArrayFromHeap(filter);
      const target = backend.typedArrayFromHeap(flipped);
      for (let kh = 0; kh < filterHeight; kh++) {
        for (let kw = 0; kw < filterWidth; kw++) {
          const from = ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * inChannels * outChannels;
          const to = (kh * filterWidth + kw) * outChannels * inChannels;
          for (let ci = 0; ci < inChannels; ci++) {
            for (let co = 0; co < outChannels; co++) target[to + co * inChannels + ci] = source[from + ci * outChannels + co];
          }
        }
      }
      const gradient = backend.typedArrayFromHeap(dy);
      const gridValues = backend.typedArrayFromHeap(grid).fill(0);
      // dy values that land past the grid would only reach input positions that do not exist.
      const columns = Math.min(outWidth, Math.ceil((gridWidth - padLeft) / strideWidth));
      for (let b = 0; b < batch; b++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const row = padTop + oh * strideHeight;
          if (row >= gridHeight) break;
          const from = (b * outHeight + oh) * outWidth * outChannels;
          const to = ((b * gridHeight + row) * gridWidth + padLeft) * outChannels;
          if (strideWidth === 1) {
            gridValues.set(gradient.subarray(from, from + columns * outChannels), to);
            continue;
          }
          for (let ow = 0; ow < columns; ow++) {
            const at = from + ow * outChannels;
            const into = to + ow * strideWidth * outChannels;
            for (let c = 0; c < outChannels; c++) gridValues[into + c] = gradient[at + c];
          }
        }
      }
      return run(
        'Conv2D',
        backend,
        { x: grid, filter: flipped },
        {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: attrs.dimRoundingMode,
        },
      );
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}
