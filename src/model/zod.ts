import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The schemas use zod/mini, which esbuild tree-shakes to what they use (the full build is
// ~650 KB to load on every run). Imported for this side effect only: English messages that say
// what was expected and what was found, as the full build's do.
config(en());
