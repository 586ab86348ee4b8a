import type * as z from 'zod/mini';
import { finding, objectLabel, type Finding } from '../model/findings.js';
import type { ManifestObject } from '../model/manifest.js';
import { quickAcceptor } from '../model/quick-accept.js';

/** `spec.http[0].route[1].weight` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((step, index) => (typeof step === 'number' ? `[${step}]` : `${index === 0 ? '' : '.'}${String(step)}`))
    .join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[step];
  }
  return node;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Checks an object against its schema. On success the ORIGINAL object is returned (typed):
 * the schema's parsed copy would lose the positions, which are keyed by the original nodes.
 * Each problem becomes an MS003 finding on the offending line; the object is then skipped,
 * as the API server would have refused it.
 */
export function validate<Schema extends z.ZodMiniType>(
  object: ManifestObject,
  schema: Schema,
  findings: Finding[],
): z.infer<Schema> | null {
  if (quickAcceptor(schema)(object.body)) return object.body as z.infer<Schema>;
  const place = { object: objectLabel(object.kind, object.namespace, object.name), file: object.file, line: object.line };
  let result;
  try {
    result = schema.safeParse(object.body);
  } catch (error) {
    // zod collects every issue, spreading each level's into its parent's: some 150,000 wrong
    // items in one list overflow the stack there.
    if (!(error instanceof RangeError)) throw error;
    findings.push(finding('MS003', place, `has too many invalid fields to list; fix it — the API server would reject this ${object.kind}`));
    return null;
  }
  if (result.success) return object.body as z.infer<Schema>;
  for (const issue of result.error.issues.slice(0, 5)) {
    const got = valueAt(object.body, issue.path);
    const detail = issue.code === 'invalid_type' && got === undefined ? 'is required' : `${issue.message} (got ${show(got)})`;
    findings.push(
      finding(
        'MS003',
        { ...place, line: object.positions.lineOfPath(object.body, issue.path) ?? object.line },
        `${formatPath(issue.path)} ${detail}; fix it — the API server would reject this ${object.kind}`,
      ),
    );
  }
  return null;
}
