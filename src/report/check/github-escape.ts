/**
 * GitHub Actions workflow commands, `::name key=value,key=value::message`, escaped exactly as
 * GitHub's own toolkit does — actions/toolkit, packages/core/src/command.ts (`escapeData`,
 * `escapeProperty`); the runner (actions/runner, ActionCommand.cs) undoes the same mappings.
 * See https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions.
 */

/** command.ts `escapeData`: `%` → `%25`, CR → `%0D`, LF → `%0A` (`%` first, so nothing is escaped twice). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** command.ts `escapeProperty`: `escapeData` plus `:` → `%3A` and `,` → `%2C`, the property separators. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Not part of the toolkit's escaping, our own addition: C0 and C1 control characters other
 * than CR/LF/tab become U+FFFD, so text from manifests cannot write ANSI escape sequences
 * (colours, cursor moves) into the Actions log. CR and LF are left for `escapeData`.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function replaceControlCharacters(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface AnnotationProperties {
  file?: string | null;
  /** 1-based; left out when null or not positive. */
  line?: number | null;
  title?: string | null;
}

/**
 * One annotation command, the way command.ts `Command.toString()` writes it: `::level`, a
 * space and `key=value` pairs joined by `,` when there are any, `::`, the message.
 */
export function workflowCommand(level: AnnotationLevel, properties: AnnotationProperties, message: string): string {
  const property = (text: string) => escapeProperty(replaceControlCharacters(text));
  const pairs: string[] = [];
  if (properties.file) pairs.push(`file=${property(properties.file)}`);
  if (properties.file && properties.line && properties.line > 0) pairs.push(`line=${Math.trunc(properties.line)}`);
  if (properties.title) pairs.push(`title=${property(properties.title)}`);
  return `::${level}${pairs.length ? ` ${pairs.join(',')}` : ''}::${escapeData(replaceControlCharacters(message))}`;
}
