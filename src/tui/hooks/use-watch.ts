import { useEffect, useState } from 'react';
import type { WatchLoop } from '../loop.js';
import type { WatchData } from '../model.js';

/** Subscribes to the data loop for the component's lifetime; stopping it on unmount (quit). */
export function useWatch(loop: WatchLoop): WatchData {
  const [data, setData] = useState(loop.state);
  useEffect(() => {
    const unsubscribe = loop.subscribe(setData);
    void loop.start();
    return () => {
      unsubscribe();
      loop.stop();
    };
  }, [loop]);
  return data;
}
