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

/** `allowInconclusive` → `allow-inconclusive`, the option as written on the command line. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** A number option's value for a message: yargs turns text that is not a number into NaN. */
export function shownNumber(value: number): string {
  return Number.isNaN(value) ? 'not a number' : String(value);
}
