// Checks the JSON front end's fans against the real library: TF.js builds each fixture topology and its kernel shapes give the fans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseModelJson } from '../../../../server/src/engine/frontends/json';
import { kernelFans } from '../../../helpers/kernelFans';
import type { Model } from '../../../../server/src/engine/ir';

const FIXTURES = join(__dirname, '../../../../../test/fixtures/json');
// Keras 3 topologies are not loadable by TF.js 4; every other fixture is.
const LOADABLE = [
  'tfjs-saved-model.json',
  'tfjs-tojson.json',
  'tfjs-converted-model.json',
  'keras2-sequential.json',
  'keras2-functional.json',
  'keras2-nested.json',
];

function compare(model: Model, built: tf.LayersModel | tf.Sequential, where: string): number {
  let checked = 0;
  for (const layer of model.layers) {
    const builtLayer = built.layers.find((l) => l.name === layer.name);
    assert.ok(builtLayer, `${where}: TF.js has layer ${layer.name}`);
    if (layer.inner) {
      // A wrapped model (TimeDistributed(Sequential)) sits under the wrapper's `layer`.
      const innerBuilt = layer.wrapper === undefined ? builtLayer : (builtLayer as unknown as { layer: tf.LayersModel }).layer;
      checked += compare(layer.inner, innerBuilt as tf.LayersModel, `${where}/${layer.name}`);
      continue;
    }
    const kernel = builtLayer.weights[0];
    if (layer.kernelInitializer === undefined) {
      assert.equal(kernel, undefined, `${where}: ${layer.name} has no kernel in TF.js either`);
      continue;
    }
    assert.deepEqual(
      [layer.fanIn, layer.fanOut],
      kernelFans(kernel.shape as number[]),
      `${where}: ${layer.name} kernel ${JSON.stringify(kernel.shape)}`,
    );
    checked++;
  }
  return checked;
}

test('fans of every weight layer equal the fans of the kernel TF.js builds from the same JSON', async () => {
  let checked = 0;
  for (const name of LOADABLE) {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    const json = JSON.parse(text);
    const built = await tf.models.modelFromJSON({ modelTopology: json.modelTopology ?? json });
    checked += compare(parseModelJson(text).models[0], built, name);
    built.dispose();
  }
  assert.ok(checked >= 20, `${checked} kernels compared`);
});
