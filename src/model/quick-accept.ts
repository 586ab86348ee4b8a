import type * as z from 'zod/mini';
import { oncePer } from '../memo.js';

/**
 * A fast "yes" for a zod schema: a plain predicate built once from the schema's own definition
 * (`_zod.def`, zod's introspection surface), true only when `safeParse` would succeed. zod then
 * runs only to explain a rejection. Valid objects are nearly all a big List holds, and zod spent
 * a third of resolving on copying them (its parsed copy is dropped anyway, see validate()).
 *
 * Sound by construction, not by agreement: every definition or check this does not know
 * compiles to "don't know" (false), which hands the value to zod; each known one is the same
 * test zod makes, or a stricter one.
 */
export type Acceptor = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: readonly { _zod: { def: CheckDef } }[];
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  coerce?: boolean;
  catchall?: unknown;
}
interface CheckDef {
  check: string;
  minimum?: number;
  value?: unknown;
  inclusive?: boolean;
  fn?: (value: unknown) => unknown;
}
type Schema = { _zod: { def: Def } };

const DONT_KNOW: Acceptor = () => false;
export const quickAcceptor: (schema: z.ZodMiniType) => Acceptor = oncePer((schema: z.ZodMiniType) => compile(schema as unknown as Schema));

function compile(schema: Schema): Acceptor {
  const def = schema._zod.def;
  const type = typeAcceptor(def);
  const checks = (def.checks ?? []).map((check) => checkAcceptor(check._zod.def));
  if (type === DONT_KNOW || checks.includes(DONT_KNOW)) return DONT_KNOW;
  if (checks.length === 0) return type;
  return (value) => type(value) && checks.every((check) => check(value));
}

function typeAcceptor(def: Def): Acceptor {
  if (def.coerce) return DONT_KNOW;
  switch (def.type) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'number':
      // zod refuses NaN and ±Infinity as numbers.
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'optional': {
      const inner = compile(def.innerType!);
      return (value) => value === undefined || inner(value);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case 'array': {
      const element = compile(def.element!);
      return (value) => Array.isArray(value) && value.every((item) => element(item));
    }
    case 'object': {
      // Unknown keys are stripped, never refused; a missing key is its schema given undefined.
      if (def.catchall) return DONT_KNOW;
      const fields = Object.entries(def.shape!).map(([key, field]) => [key, compile(field)] as const);
      if (fields.some(([key, field]) => key === '__proto__' || field === DONT_KNOW)) return DONT_KNOW;
      return (value) => isObject(value) && fields.every(([key, field]) => field((value as Record<string, unknown>)[key]));
    }
    case 'record': {
      // Only string keys and any value schema: the record's other forms differ in ways not worth copying.
      if (def.keyType!._zod.def.type !== 'string' || def.keyType!._zod.def.checks?.length) return DONT_KNOW;
      const entry = compile(def.valueType!);
      // zod skips an own `__proto__` key (JSON.parse makes one), whatever its value: so does this.
      return (value) => isPlainData(value) && Object.keys(value).every((key) => key === '__proto__' || entry(value[key]));
    }
    default:
      return DONT_KNOW;
  }
}

function checkAcceptor(check: CheckDef): Acceptor {
  switch (check.check) {
    case 'min_length': {
      const minimum = check.minimum!;
      // zod counts code points; UTF-16 units only over-count, so they settle a floor of 0 or 1.
      return (value) =>
        typeof value === 'string' && (minimum <= 1 ? value.length >= minimum : [...value].length >= minimum);
    }
    case 'greater_than': {
      const bound = check.value;
      if (typeof bound !== 'number') return DONT_KNOW;
      return (value) => typeof value === 'number' && (check.inclusive ? value >= bound : value > bound);
    }
    case 'less_than': {
      const bound = check.value;
      if (typeof bound !== 'number') return DONT_KNOW;
      return (value) => typeof value === 'number' && (check.inclusive ? value <= bound : value < bound);
    }
    case 'custom':
      // A refinement: only a plain `true` counts (a promise is truthy but zod's sync parse throws on it).
      return (value) => check.fn!(value) === true;
    default:
      return DONT_KNOW;
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a parser builds: a plain or prototype-less object, with no symbol keys and no own
 * `constructor` (zod's plain-object test reads it) — stricter than zod's test.
 */
function isPlainData(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (
    (prototype === Object.prototype || prototype === null) &&
    !Object.prototype.hasOwnProperty.call(value, 'constructor') &&
    Object.getOwnPropertySymbols(value).length === 0
  );
}
