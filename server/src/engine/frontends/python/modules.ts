// The module tree of a PyTorch model or Keras subclass: what an instance or container holds, and every layer under it.
import type { LayerObject, Value } from './values';

/** Everything a module value holds, in registration order: [attribute name, value] for layers, containers, instances. */
export function submodulesOf(value: Value): { name: string; value: Value }[] {
  if (value.kind === 'instance') {
    return [...value.instance.attrs]
      .filter(([, v]) => v.kind === 'layer' || v.kind === 'container' || v.kind === 'instance')
      .map(([name, v]) => ({ name, value: v }));
  }
  if (value.kind === 'container')
    return value.container.items.filter(
      (item) => item.value.kind === 'layer' || item.value.kind === 'container' || item.value.kind === 'instance',
    );
  return [];
}

/** Every layer object under a module value, depth first in registration order, with its dotted path. */
export function layersUnder(value: Value, prefix = '', seen = new Set<object>()): { path: string; layer: LayerObject }[] {
  if (value.kind === 'layer') return seen.has(value.layer) ? [] : (seen.add(value.layer), [{ path: prefix, layer: value.layer }]);
  const key = value.kind === 'instance' ? value.instance : value.kind === 'container' ? value.container : null;
  if (key === null || seen.has(key)) return [];
  seen.add(key);
  return submodulesOf(value).flatMap((child) => layersUnder(child.value, prefix === '' ? child.name : `${prefix}.${child.name}`, seen));
}
