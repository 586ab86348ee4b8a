import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { extname, join } from 'node:path';
import { finding, type Finding } from '../model/findings.js';
import { ManifestInputError } from './errors.js';
import { LIMITS } from './limits.js';

/** A piece of input text and the name findings use for it. */
export interface SourceText {
  file: string;
  text: string;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const STDIN_NAME = '<stdin>';

/**
 * Reads `-f` arguments the way kubectl does: a file, a directory (recursively, `.yaml`/`.yml`/
 * `.json` only, in name order), or `-` for stdin.
 */
export async function readSources(
  paths: readonly string[],
  stdin: AsyncIterable<Buffer | string> | undefined,
): Promise<{ texts: SourceText[]; findings: Finding[] }> {
  const texts: SourceText[] = [];
  const findings: Finding[] = [];
  let stdinRead = false;
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      if (!stdin) throw new ManifestInputError('-f - given but no standard input is available');
      const text = await readBounded(stdin);
      if (text === null) findings.push(tooLarge(STDIN_NAME));
      else texts.push({ file: STDIN_NAME, text });
      continue;
    }
    const files = await expandPath(path);
    for (const named of files) {
      // The same file named twice (or inside a named directory) is read once.
      // A pipe (`-f <(kubectl …)`, /dev/fd/63) has no real path: its own name then.
      const real = (await realpath(named, 'buffer').catch(() => Buffer.from(named))).toString('latin1');
      if (seen.has(real)) continue;
      seen.add(real);
      const file = shownPath(named);
      const info = await orInputError(named, stat(named));
      // A device, a pipe (`-f /dev/stdin`, `-f <(kubectl …)`) or a file that says it is empty
      // (/proc) has no size to trust: read as stdin is, up to the limit.
      const sized = info.isFile() && info.size > 0;
      const text = sized ? (info.size > LIMITS.sourceBytes ? null : await orInputError(named, readFile(named, 'utf8'))) : await orInputError(named, readBounded(createReadStream(named)));
      if (text === null) findings.push(tooLarge(file));
      else texts.push({ file, text });
    }
  }
  return { texts, findings };
}

function tooLarge(file: string): Finding {
  return finding(
    'MS002',
    { file, line: 1 },
    `input larger than ${LIMITS.sourceBytes / (1024 * 1024)} MiB refused; split it or narrow the selection`,
  );
}

/** Reads a stream up to the size limit; null when it is larger (reading stops there). */
async function readBounded(stream: AsyncIterable<Buffer | string>): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > LIMITS.sourceBytes) {
      (stream as { destroy?: () => void }).destroy?.();
      return null;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A path that cannot be read — missing, unreadable, or a link to nothing (a directory may hold
 * one) — is the input's fault, said in one line (exit 65), not an internal error.
 */
async function orInputError<T>(path: FilePath, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const shown = shownPath(path);
    if (code === 'ENOENT') throw new ManifestInputError(`the path "${shown}" does not exist${await danglingLink(path)}`);
    if (code === 'EACCES') throw new ManifestInputError(`the path "${shown}" is not readable`);
    throw new ManifestInputError(`cannot read "${shown}": ${code ?? String(error)}`);
  }
}

async function danglingLink(path: FilePath): Promise<string> {
  const info = await lstat(path).catch(() => null);
  return info?.isSymbolicLink() ? ' (a symbolic link to nothing)' : '';
}

/**
 * A cheap summary of what `paths` hold now (files, sizes, modification times), so a watcher
 * re-reads manifests only when something changed.
 */
export async function fingerprint(paths: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const path of paths) {
    if (path === '-') continue;
    for (const file of await expandPath(path)) {
      const info = await stat(file).catch(() => null);
      parts.push(`${typeof file === 'string' ? file : file.toString('hex')}:${info?.size ?? -1}:${info?.mtimeMs ?? -1}`);
    }
  }
  return parts.join('\n');
}

/**
 * A file to read: a string, or the bytes of a name that is not UTF-8 (a directory may hold
 * one), which every fs call takes as they are; findings show it by `shownPath`.
 */
type FilePath = string | Buffer;

async function expandPath(path: string): Promise<FilePath[]> {
  const info = await orInputError(path, stat(path));
  if (!info.isDirectory()) return [path];
  const files: FilePath[] = [];
  await walk(path, files, new Set());
  return files;
}

async function walk(directory: FilePath, files: FilePath[], seen: Set<string>): Promise<void> {
  // Symbolic links may loop back; each real directory is read once.
  const real = await orInputError(directory, realpath(directory, 'buffer'));
  if (seen.has(real.toString('latin1'))) return;
  seen.add(real.toString('latin1'));
  // Names as bytes, like kubectl (Go) reads them, in byte order.
  const entries = await orInputError(directory, readdir(directory, { withFileTypes: true, encoding: 'buffer' }));
  entries.sort((a, b) => Buffer.compare(a.name, b.name));
  for (const entry of entries) {
    const full = child(directory, entry.name);
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).catch(() => null))?.isDirectory());
    if (isDirectory) await walk(full, files, seen);
    else if (MANIFEST_EXTENSIONS.has(extname(entry.name.toString('latin1')).toLowerCase())) files.push(full);
  }
}

function child(directory: FilePath, name: Buffer): FilePath {
  if (typeof directory === 'string' && isUtf8(name)) return join(directory, name.toString('utf8'));
  const parent = typeof directory === 'string' ? Buffer.from(join(directory)) : directory;
  return Buffer.concat([parent, parent[parent.length - 1] === SLASH ? EMPTY : SEPARATOR, name]);
}

/**
 * A path for findings and messages: a name that is not UTF-8 shows its other bytes as `\xNN`
 * (U+FFFD would make `\xfe.yaml` and `\xff.yaml` one name); its UTF-8 neighbours read as usual.
 */
function shownPath(path: FilePath): string {
  if (typeof path === 'string') return path;
  return path
    .toString('latin1')
    .split('/')
    .map((segment) => {
      const bytes = Buffer.from(segment, 'latin1');
      return isUtf8(bytes) ? bytes.toString('utf8') : segment.replace(/[\x80-\xff]/g, (byte) => `\\x${byte.charCodeAt(0).toString(16)}`);
    })
    .join('/');
}

const SLASH = 0x2f;
const EMPTY = Buffer.alloc(0);
const SEPARATOR = Buffer.from('/');
