/**
 * fast-check arbitraries derived from Zod 4 schemas, for property tests of the route tables:
 * {@link arbitraryFromZod} draws values a schema accepts, {@link invalidFromZod} mutates such a
 * value (wrong type, out-of-set value, out-of-range number or length, missing required field,
 * extra garbage) so that it usually fails the schema. Tests should still classify each value with
 * `schema.safeParse`: some mutations stay valid (an extra key on a non-strict object, a boolean
 * coerced to a number).
 *
 * Covers the types the route schemas use: object (strict, loose, plain), string (lengths, regex,
 * url and datetime formats), number and int (min, max, gt, lt, coerce), enum, literal, boolean,
 * array, union and discriminated union, optional, nullable, default, record, unknown, file and
 * refinements (drawn, then filtered). Anything else throws, naming the type and the path.
 * @module
 */
import fc from 'fast-check';
import type { z } from '@reelkit/spec';

type Schema = z.ZodType;
type Arb = fc.Arbitrary<unknown>;

/** The parts of a Zod 4 check's definition this module reads. */
interface CheckDef {
  readonly check: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
  readonly value?: number | bigint;
  readonly inclusive?: boolean;
  readonly format?: string;
  readonly pattern?: RegExp;
}

/** The parts of a Zod 4 schema's definition this module reads. */
interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly catchall?: Schema;
  readonly innerType?: Schema;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly in?: Schema;
  readonly getter?: () => Schema;
}

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Options of {@link arbitraryFromZod} and {@link invalidFromZod}. */
export interface ZodArbitraryOptions {
  /**
   * Arbitraries for object properties of these names, at any depth, instead of the schema's own:
   * to draw model ids from a catalog, or values a refinement would reject if drawn at random.
   */
  readonly hints?: Readonly<Record<string, Arb>>;
  /** Longest array drawn where the schema allows longer ones. Default 3. */
  readonly maxArrayLength?: number;
  /** Longest string drawn where the schema allows longer ones. Default 16. */
  readonly maxStringLength?: number;
}

/** Wrappers whose inner schema carries the value. */
const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'readonly',
  'catch',
  'nonoptional',
]);

interface Bounds {
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  minExclusive: boolean;
  maxExclusive: boolean;
  int: boolean;
  regexes: RegExp[];
  custom: boolean;
  maxSize?: number;
  minSize?: number;
}

function boundsOf(def: Def): Bounds {
  const b: Bounds = {
    minExclusive: false,
    maxExclusive: false,
    int: false,
    regexes: [],
    custom: false,
  };
  if (def.format === 'safeint' || def.format === 'int32' || def.format === 'uint32') b.int = true;
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    switch (c.check) {
      case 'min_length':
        b.minLength = Math.max(b.minLength ?? 0, c.minimum ?? 0);
        break;
      case 'max_length':
        b.maxLength = Math.min(b.maxLength ?? Infinity, c.maximum ?? Infinity);
        break;
      case 'length_equals':
        b.minLength = c.length;
        b.maxLength = c.length;
        break;
      case 'greater_than':
        b.min = Number(c.value);
        b.minExclusive = c.inclusive === false;
        break;
      case 'less_than':
        b.max = Number(c.value);
        b.maxExclusive = c.inclusive === false;
        break;
      case 'number_format':
        if (c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32') b.int = true;
        break;
      case 'string_format':
        if (c.format === 'regex' && c.pattern) b.regexes.push(c.pattern);
        break;
      case 'max_size':
        b.maxSize = c.maximum;
        break;
      case 'min_size':
        b.minSize = c.minimum;
        break;
      default:
        b.custom = true;
    }
  }
  return b;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof File);

/** Whether an object property may be left out. */
function isOptional(schema: Schema): boolean {
  const { type } = defOf(schema);
  return type === 'optional' || type === 'default' || type === 'prefault';
}

/** Keeps the values `schema` accepts; fails fast when it accepts too few to draw from. */
function refined(schema: Schema, arb: Arb, path: string): Arb {
  const sample = fc.sample(arb, { numRuns: 100, seed: 42 });
  const passing = sample.filter((v) => schema.safeParse(v).success).length;
  if (passing < 10) {
    throw new Error(
      `[arbitraryFromZod] a refinement at ${path || '(root)'} accepts ${passing} of 100 drawn values; pass a hint for it.`,
    );
  }
  return arb.filter((v) => schema.safeParse(v).success);
}

function stringArb(def: Def, b: Bounds, o: Required<Omit<ZodArbitraryOptions, 'hints'>>): Arb {
  const minLength = b.minLength ?? 0;
  const maxLength = Math.min(b.maxLength ?? Infinity, Math.max(minLength, o.maxStringLength));
  const fitLength = (s: string) => s.length >= minLength && s.length <= (b.maxLength ?? Infinity);
  switch (def.format ?? '') {
    case 'url':
      // fc.webUrl is slow (milliseconds per value); a host and a short path are enough here.
      return fc
        .tuple(
          fc.constantFrom('https', 'http'),
          fc.stringMatching(/^[a-z][a-z0-9]{0,9}\.[a-z]{2,4}$/),
          fc.stringMatching(/^(\/[a-z0-9_-]{1,8}){0,2}$/),
        )
        .map(([scheme, host, path]) => `${scheme}://${host}${path}`);
    case 'datetime':
      return fc
        .date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress();
    case 'uuid':
    case 'guid':
      return fc.uuid();
    default:
      break;
  }
  const [regex, ...more] = b.regexes;
  if (regex) {
    return fc
      .stringMatching(regex, { size: 'xsmall' })
      .filter((s) => fitLength(s) && more.every((r) => r.test(s)));
  }
  // Mostly printable ASCII; sometimes any code point (NUL, controls, astral characters).
  return fc.oneof(
    { arbitrary: fc.string({ minLength, maxLength }), weight: 4 },
    { arbitrary: fc.string({ minLength, maxLength, unit: 'binary' }), weight: 1 },
  );
}

function numberArb(b: Bounds): Arb {
  if (b.int) {
    const lo = b.min === undefined ? -(2 ** 31) : Math.ceil(b.minExclusive ? b.min + 1e-9 : b.min);
    const hi =
      b.max === undefined ? 2 ** 31 - 1 : Math.floor(b.maxExclusive ? b.max - 1e-9 : b.max);
    return fc.integer({
      min: Math.max(lo, Number.MIN_SAFE_INTEGER),
      max: Math.min(hi, 2 ** 53 - 1),
    });
  }
  return fc.double({
    noNaN: true,
    noDefaultInfinity: true,
    ...(b.min !== undefined ? { min: b.min, minExcluded: b.minExclusive } : {}),
    ...(b.max !== undefined ? { max: b.max, maxExcluded: b.maxExclusive } : {}),
  });
}

function build(schema: Schema, o: Required<ZodArbitraryOptions>, path: string, depth: number): Arb {
  const def = defOf(schema);
  if (def.type === 'nullable')
    return fc.option(build(def.innerType as Schema, o, path, depth), { nil: null, freq: 5 });
  if (WRAPPERS.has(def.type)) return build(def.innerType as Schema, o, path, depth);
  if (def.type === 'pipe') return build(def.in as Schema, o, path, depth);
  if (def.type === 'lazy') return build((def.getter as () => Schema)(), o, path, depth + 1);
  const b = boundsOf(def);
  let arb: Arb;
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      const model: Record<string, Arb> = {};
      const required: string[] = [];
      for (const [key, child] of Object.entries(shape)) {
        model[key] = o.hints[key] ?? build(child, o, path ? `${path}.${key}` : key, depth + 1);
        if (!isOptional(child)) required.push(key);
      }
      arb = fc.record(model, { requiredKeys: required, noNullPrototype: true });
      break;
    }
    case 'string':
      arb = stringArb(def, b, o);
      break;
    case 'number':
      arb = numberArb(b);
      break;
    case 'boolean':
      arb = fc.boolean();
      break;
    case 'enum':
      arb = fc.constantFrom(...Object.values(def.entries ?? {}));
      break;
    case 'literal':
      arb = fc.constantFrom(...(def.values ?? []));
      break;
    case 'null':
      arb = fc.constant(null);
      break;
    case 'array': {
      const minLength = b.minLength ?? 0;
      const maxLength = Math.min(b.maxLength ?? Infinity, Math.max(minLength, o.maxArrayLength));
      arb = fc.array(build(def.element as Schema, o, `${path}[]`, depth + 1), {
        minLength,
        maxLength,
      });
      break;
    }
    case 'union':
      arb = fc.oneof(...(def.options ?? []).map((option) => build(option, o, path, depth + 1)));
      break;
    case 'record': {
      const keyDef = defOf(def.keyType as Schema);
      const keys =
        keyDef.type === 'string'
          ? fc.string({ minLength: 1, maxLength: 8 })
          : (build(def.keyType as Schema, o, `${path}{}`, depth + 1) as fc.Arbitrary<string>);
      arb = fc.dictionary(keys, build(def.valueType as Schema, o, `${path}{}`, depth + 1), {
        maxKeys: 3,
        noNullPrototype: true,
      });
      break;
    }
    case 'unknown':
    case 'any':
      arb = fc.jsonValue({ maxDepth: Math.max(0, 2 - depth) });
      break;
    case 'file': {
      const maxLength = Math.min(b.maxSize ?? 64, 64);
      arb = fc
        .uint8Array({ minLength: b.minSize ?? 0, maxLength })
        .map((bytes) => new File([bytes.slice()], 'image.png', { type: 'image/png' }));
      break;
    }
    default:
      throw new Error(`[arbitraryFromZod] no arbitrary for ${def.type} at ${path || '(root)'}`);
  }
  return b.custom ? refined(schema, arb, path) : arb;
}

const withDefaults = (options: ZodArbitraryOptions): Required<ZodArbitraryOptions> => ({
  hints: options.hints ?? {},
  maxArrayLength: options.maxArrayLength ?? 3,
  maxStringLength: options.maxStringLength ?? 16,
});

/**
 * Draws values `schema` accepts (given hints that are themselves valid).
 *
 * @example
 * fc.assert(fc.property(arbitraryFromZod(VideoGenerationRequest), (v) =>
 *   VideoGenerationRequest.safeParse(v).success));
 */
export function arbitraryFromZod(schema: Schema, options: ZodArbitraryOptions = {}): Arb {
  return build(schema, withDefaults(options), '', 0);
}

/** Values of many types; {@link wrongTypes} keeps the ones a schema refuses. */
const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  '',
  'zz',
  [],
  [1, 'a'],
  {},
  { a: 1 },
];

/** Constants of the wrong type (or shape) for `schema`. */
function wrongTypes(schema: Schema): Arb[] {
  const wrong = ODD_VALUES.filter((v) => !schema.safeParse(v).success);
  return wrong.length > 0 ? [fc.constantFrom(...wrong)] : [];
}

/** Ways to break `value` at this node or below; each arbitrary yields the whole new node. */
function mutations(schema: Schema, value: unknown, o: Required<ZodArbitraryOptions>): Arb[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) {
    return [...wrongTypes(schema), ...mutations(def.innerType as Schema, value, o)];
  }
  if (def.type === 'pipe') return mutations(def.in as Schema, value, o);
  const out = wrongTypes(schema);
  const b = boundsOf(def);
  switch (def.type) {
    case 'object': {
      if (!isRecord(value)) break;
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        if (!(key in value)) continue;
        if (!isOptional(child)) {
          const { [key]: _dropped, ...rest } = value;
          out.push(fc.constant(rest));
        }
        for (const m of mutations(child, value[key], o)) {
          out.push(m.map((v) => ({ ...value, [key]: v })));
        }
      }
      out.push(
        fc
          .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }))
          .map(([k, v]) => ({ ...value, [`zz_${k}`]: v })),
      );
      break;
    }
    case 'enum':
    case 'literal': {
      const allowed: readonly unknown[] =
        def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []);
      out.push(fc.string({ maxLength: 12 }).filter((s) => !allowed.includes(s)));
      if (allowed.some((v) => typeof v === 'number')) {
        out.push(fc.integer({ min: -100, max: 100 }).filter((n) => !allowed.includes(n)));
      }
      break;
    }
    case 'number': {
      if (b.min !== undefined) out.push(fc.constant(b.minExclusive ? b.min : b.min - 1));
      if (b.max !== undefined) out.push(fc.constant(b.maxExclusive ? b.max : b.max + 1));
      if (b.int && typeof value === 'number') out.push(fc.constant(value + 0.5));
      break;
    }
    case 'string': {
      if ((b.minLength ?? 0) > 0) out.push(fc.constant('x'.repeat((b.minLength ?? 1) - 1)));
      if (b.maxLength !== undefined && b.maxLength < 100_000) {
        out.push(fc.constant('x'.repeat(b.maxLength + 1)));
      }
      if (b.regexes.length > 0 || b.custom || def.format) {
        out.push(fc.string({ maxLength: 12 }).filter((s) => !schema.safeParse(s).success));
      }
      break;
    }
    case 'array': {
      if (!Array.isArray(value)) break;
      const [first] = value as unknown[];
      if (first !== undefined) {
        for (const m of mutations(def.element as Schema, first, o)) {
          out.push(m.map((v) => [v, ...(value as unknown[]).slice(1)]));
        }
      }
      if (b.maxLength !== undefined && b.maxLength < 100 && first !== undefined) {
        out.push(fc.constant(Array.from({ length: b.maxLength + 1 }, () => first)));
      }
      if ((b.minLength ?? 0) > 0) out.push(fc.constant([]));
      break;
    }
    case 'union': {
      if (def.discriminator && isRecord(value)) {
        const key = def.discriminator;
        out.push(fc.string({ maxLength: 8 }).map((s) => ({ ...value, [key]: `zz${s}` })));
      }
      const option = (def.options ?? []).find((opt) => opt.safeParse(value).success);
      if (option) out.push(...mutations(option, value, o));
      break;
    }
    case 'record': {
      const bad = wrongTypes(def.valueType as Schema);
      if (isRecord(value) && bad.length > 0) {
        out.push(
          fc
            .tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(...bad))
            .map(([k, v]) => ({ ...value, [`zz_${k}`]: v })),
        );
      }
      break;
    }
    case 'file': {
      if (b.maxSize !== undefined && b.maxSize <= 1024 * 1024) {
        const size = b.maxSize + 1;
        out.push(fc.constant(null).map(() => new File([new Uint8Array(size)], 'big.png')));
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/**
 * Draws a valid value and breaks it in one place: a wrong type, an out-of-set or out-of-range
 * value, a too short or too long string or array, a missing required field or an extra garbage
 * field, at any depth. Usually invalid; classify with `schema.safeParse` before asserting.
 *
 * @example
 * fc.sample(invalidFromZod(z.object({ n: z.int().min(1) })), 3); // e.g. [{}, { n: 0 }, { n: 'zz' }]
 */
export function invalidFromZod(schema: Schema, options: ZodArbitraryOptions = {}): Arb {
  const o = withDefaults(options);
  return build(schema, o, '', 0).chain((value) => {
    const ways = mutations(schema, value, o);
    return ways.length > 0 ? fc.oneof(...ways) : fc.constant(value);
  });
}
