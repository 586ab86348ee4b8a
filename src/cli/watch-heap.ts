import { setFlagsFromString } from 'node:v8';

/**
 * V8's garbage collector set for a program that wakes briefly and sleeps long (`watch`, `demo`;
 * also the in-process benchmark, so that it measures the same V8). Both flags are read each time
 * V8 decides, so setting them at run time takes effect (a V8 without them would not throw, only
 * print a line on stderr).
 */
export function tuneHeapForWatch(): void {
  // Full collections in one pause instead of marking bit by bit between refreshes. The
  // incremental way paid twice in a watch: marking work spread over refreshes, and V8's memory
  // reducer, which takes each sleep for the end of the work and runs full, compacting
  // collections that hand the heap back for the next refreshes to grow again, round after round
  // (it starts only through incremental marking). A pause of ~20–40 ms in a screen redrawn every
  // few seconds is not seen; idle CPU fell by about a quarter (bench/CHANGES.md).
  setFlagsFromString('--no-incremental-marking');
  // V8 also judges such a program a slow allocator and lets the heap grow only ~25 % past what
  // lives after a full collection: with ~30 MB alive, a full collection every other refresh,
  // each ~50 ms of CPU (marking threads included). Growing to twice the live heap (V8's own
  // factor ranges from 1.1 to 4 by how busy a program is) makes it about one refresh in seven.
  setFlagsFromString('--heap-growing-percent=100');
}
