import { EXIT } from '../model/exit-codes.js';

/** A mistake in how the command was called: exit 64 with one line and a hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function reportUsageError(message: string, command?: string): void {
  // yargs spreads some messages over lines ("Invalid values:\n  Argument: …"); keep one line.
  const reason = withoutCamelCaseTwins(message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ')) || 'invalid usage';
  process.stderr.write(`mesh-split: ${reason}\nRun 'mesh-split ${command ? `${command} ` : ''}--help' for usage.\n`);
  process.exitCode = EXIT.usage;
}

/** The names in yargs' "Unknown argument(s): a, b" message, or null for any other message. */
export function unknownArguments(message: string): string[] | null {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  // yargs shows an empty name (from MESH_SPLIT__) as "".
  return match ? match[1]!.split(', ').map((name) => (name === '""' ? '' : name)) : null;
}

/**
 * yargs lists an unknown `--allow-inconclusive` twice, as given and camel-cased
 * ("Unknown arguments: allow-inconclusive, allowInconclusive"): the user typed one.
 */
export function withoutCamelCaseTwins(message: string): string {
  const names = unknownArguments(message);
  if (!names) return message;
  const given = new Set(names);
  const kept = names.filter((name) => name === kebabCase(name) || !given.has(kebabCase(name)));
  return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')}`;
}

/**
 * The words typed after a `--header` value up to the next option: an unquoted
 * `--header Authorization: Bearer abc` leaves `Bearer` and `abc` there, and yargs would name
 * them in "Unknown arguments", printing a secret to a CI log. Such words are never echoed.
 */
export function headerSpill(argv: readonly string[]): Set<string> {
  const spill = new Set<string>();
  let inHeader = false;
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    if (word === '--') break;
    if (inHeader && SHORT_FLAGS_LOOKALIKE.test(word) && !OUR_SHORT_FLAGS.test(word)) {
      // `Bearer -sEcReT`: yargs takes the dash for short options and names each letter.
      spill.add(word);
      for (const letter of word.slice(1).split('=')[0]!) spill.add(letter);
    } else if (word.startsWith('-')) {
      inHeader = word === '--header' || word.startsWith('--header=');
      if (word === '--header') index++;
    } else if (inHeader) {
      spill.add(word);
    }
  }
  return spill;
}

/** A word yargs reads as short options (`-x`, `-xyz`, `-x=1`). */
const SHORT_FLAGS_LOOKALIKE = /^-[^-]/;
/** Ours: -f, -n, -A, -o, -h, alone or grouped (`-Ao`); such a word ends a spilt header. */
const OUR_SHORT_FLAGS = /^-[fnAoh]+(?:=|$)/;

/** An "Unknown arguments" message without the words of `spill`, told how to quote the header instead. */
export function withoutHeaderSpill(message: string, spill: ReadonlySet<string>): string {
  const names = unknownArguments(message);
  if (!names || !names.some((name) => spill.has(name))) return message;
  const kept = names.filter((name) => !spill.has(name));
  const hidden = names.length - kept.length;
  const hint = `${hidden === 1 ? 'a word' : `${hidden} words`} after a --header value (not shown; quote the whole header: --header 'Name: value')`;
  return kept.length === 0 ? `Unknown argument: ${hint}` : `Unknown arguments: ${kept.join(', ')} and ${hint}`;
}

/** `allowInconclusive` → `allow-inconclusive`, the option as written on the command line. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** A number option's value for a message: yargs turns text that is not a number into NaN. */
export function shownNumber(value: number): string {
  return Number.isNaN(value) ? 'not a number' : String(value);
}
