import { EXIT } from '../model/exit-codes.js';

/** A mistake in how the command was called: exit 64 with one line and a hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function reportUsageError(message: string, command?: string): void {
  // yargs spreads some messages over lines ("Invalid values:\n  Argument: …"); keep one line.
  const reason = message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ') || 'invalid usage';
  process.stderr.write(`mesh-split: ${reason}\nRun 'mesh-split ${command ? `${command} ` : ''}--help' for usage.\n`);
  process.exitCode = EXIT.usage;
}
