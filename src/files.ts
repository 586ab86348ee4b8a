import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A small file read whole, but never more than `max` bytes of it: `/dev/zero` (or any endless
 * or huge file) given by mistake is refused at once instead of filling the memory until V8
 * aborts. Throws FileTooLarge past `max`, or the file system's own error.
 */
export function readSmallFile(file: string, max: number): string {
  const fd = openSync(file, 'r');
  try {
    // Only the bytes read are ever looked at: no need to zero the rest.
    const buffer = Buffer.allocUnsafe(max + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length <= max; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > max) throw new FileTooLarge(max);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

export class FileTooLarge extends Error {
  constructor(max: number) {
    super(`is larger than ${max / 1024} KiB`);
  }
}
