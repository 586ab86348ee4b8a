import { useEffect, useState } from 'react';

/**
 * The current time, re-rendered every second while `ticking` (a countdown is on screen: a
 * settling route, "retrying in …"); otherwise the screen redraws only when data arrives, so
 * an idle watch costs next to nothing.
 */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return ticking ? now : Date.now();
}
