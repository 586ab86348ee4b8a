// What bench/watch-inproc.mjs measures, bundled by `node scripts/bundle.mjs --bench` (run by
// `npm run bench`) into dist/bench/watch.js exactly as the bin is bundled (same plugins), so the
// in-process figures are those of the code users run, not of the unbundled build. Not part of
// the product.
export { WatchLoop } from '../dist/src/tui/loop.js';
export { liveManifests } from '../dist/src/manifests/live.js';
export { createConnection } from '../dist/src/prometheus/connection.js';
export { buildRows, sortRows, filterRows } from '../dist/src/tui/rows.js';
export { App } from '../dist/src/tui/App.js';
export { ThemeContext } from '../dist/src/tui/theme.js';
export { default as React } from 'react';
export { render } from 'ink';
export { default as chalk } from 'chalk';
