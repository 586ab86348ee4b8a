import { useEffect, useState } from 'react';

/** The current time, re-rendered every second for countdowns and "retrying in …". */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
