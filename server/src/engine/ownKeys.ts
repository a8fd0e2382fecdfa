// Name lookups with names from the user's text: only a table's own keys count, never what every object inherits
// ('constructor', 'toString', '__proto__', ...), and such a name written as a key stays a plain property.

/** The table's own value under `key`, else undefined: `ownValue(table, 'constructor')` is never Object. */
export function ownValue<T>(table: { readonly [key: string]: T }, key: string): T | undefined;
export function ownValue<T>(table: { readonly [key: string]: T | undefined }, key: string): T | undefined;
export function ownValue<T>(table: { readonly [key: string]: T | undefined }, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Sets `object[key] = value` as an own data property, also for '__proto__' (which would replace the prototype). */
export function setOwn<T>(object: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
