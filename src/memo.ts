/**
 * `derive` computed once per key object and kept as long as the key lives (a WeakMap): an
 * index or a set built from a parsed node the first time it is asked for. Arguments after the
 * key are used only that first time, so they must follow from the key.
 */
export function oncePer<K extends object, V, A extends unknown[]>(derive: (key: K, ...rest: A) => V): (key: K, ...rest: A) => V {
  const cache = new WeakMap<K, V>();
  return (key, ...rest) => {
    let value = cache.get(key);
    if (value === undefined) cache.set(key, (value = derive(key, ...rest)));
    return value;
  };
}
