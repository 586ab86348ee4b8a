// The floor of `routes`: a bare node process that reads one file and parses it, nothing else.
//   node bench/floor-parse.mjs js-yaml|yaml|json FILE
// Prints the in-process parse time (ms) and the number of top-level items, so the runner can
// check that the parse really happened.
import { readFileSync } from 'node:fs';

const [parser, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
let documents;
const start = process.hrtime.bigint();
if (parser === 'js-yaml') {
  const { loadAll } = await import('js-yaml');
  documents = loadAll(text);
} else if (parser === 'yaml') {
  const { parseAllDocuments } = await import('yaml');
  documents = parseAllDocuments(text).map((document) => document.toJS());
} else if (parser === 'json') {
  documents = [JSON.parse(text)];
} else {
  process.stderr.write(`unknown parser ${parser}\n`);
  process.exit(64);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(`${JSON.stringify({ parseMs: ms, items: documents[0]?.items?.length ?? 0 })}\n`);
