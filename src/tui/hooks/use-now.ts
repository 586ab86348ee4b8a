import { useEffect, useState } from 'react';

/**
 * The current time at each render, and a re-render every second while `ticking` (a countdown
 * is on screen: a settling route, "retrying in …"); otherwise the screen redraws only when data
 * arrives, so an idle watch costs next to nothing. The time is read at render, never kept: a
 * kept one would be as old as the last tick when a countdown starts.
 */
export function useNow(ticking: boolean): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setTicks((ticks) => ticks + 1), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return Date.now();
}
