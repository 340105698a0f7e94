/**
 * Reading the spec's Zod schemas: validation issues worded with their paths, and invalid inputs
 * derived from a request schema (a wrong type, a value outside an enumerated set).
 * @module
 */
import type { z } from '@reelkit/spec';

/** One validation problem, with the JSON path it sits at. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

interface RawIssue {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly RawIssue[])[];
}

function joinPath(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): string {
  const all = [...prefix, ...path].map(String);
  return all.length ? all.join('.') : '(root)';
}

function flatten(issues: readonly RawIssue[], prefix: readonly PropertyKey[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
      // Report the branch that came closest (fewest issues): its paths say what is wrong.
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      out.push(...flatten(best, [...prefix, ...issue.path]));
      continue;
    }
    out.push({ path: joinPath(prefix, issue.path), message: issue.message });
  }
  return out;
}

/**
 * Validates a value and words each problem as `path: message`.
 *
 * @example
 * validate(VideoGenerationResponse, { id: 'x', status: 'done' });
 * // [{ path: 'polling_url', message: 'Invalid input: expected string, received undefined' }, { path: 'status', ... }]
 */
export function validate(schema: z.ZodType, value: unknown): SchemaIssue[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return flatten(result.error.issues as readonly RawIssue[], []);
}

/**
 * Issues as one line: `status: Invalid option; polling_url: Required`.
 *
 * @example
 * describeIssues(validate(schema, body)); // 'status: Invalid option…; polling_url: …'
 */
export function describeIssues(issues: readonly SchemaIssue[], limit = 5): string {
  const shown = issues.slice(0, limit).map((i) => `${i.path}: ${i.message}`);
  if (issues.length > limit) shown.push(`and ${issues.length - limit} more`);
  return shown.join('; ');
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch']);

function unwrap(schema: z.ZodType): { schema: z.ZodType; optional: boolean } {
  let current = schema;
  let optional = false;
  for (let def = defOf(current); WRAPPERS.has(def.type) && def.innerType; def = defOf(current)) {
    if (def.type !== 'nullable' && def.type !== 'readonly') optional = true;
    current = def.innerType;
  }
  return { schema: current, optional };
}

/** The literal values a schema accepts when it is an enumerated set, else `undefined`. */
function enumerated(schema: z.ZodType): readonly (string | number)[] | undefined {
  const def = defOf(schema);
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  if (def.type === 'literal' && def.values) {
    const values = def.values.filter(
      (v): v is string | number => typeof v === 'string' || typeof v === 'number',
    );
    return values.length === def.values.length ? values : undefined;
  }
  if (def.type === 'union' && def.options) {
    const parts = def.options.map((o) => enumerated(unwrap(o).schema));
    if (parts.every((p) => p !== undefined)) return parts.flat() as (string | number)[];
  }
  return undefined;
}

function acceptsNumber(schema: z.ZodType): boolean {
  const def = defOf(schema);
  if (def.type === 'number' || def.type === 'int') return true;
  if (def.type === 'pipe' && def.in) return acceptsNumber(unwrap(def.in).schema);
  if (def.type === 'union' && def.options) {
    return def.options.some((o) => acceptsNumber(unwrap(o).schema));
  }
  const values = enumerated(schema);
  return values !== undefined && values.every((v) => typeof v === 'number');
}

function shapeOf(schema: z.ZodType): Readonly<Record<string, z.ZodType>> {
  const def = defOf(unwrap(schema).schema);
  return def.type === 'object' && def.shape ? def.shape : {};
}

/** An invalid value for one field of a request body, and why it is invalid. */
export interface InvalidField {
  readonly field: string;
  readonly value: unknown;
  /** What the schema expects instead, in words. */
  readonly expected: string;
}

/**
 * The first optional numeric field of a request schema, given a string: a wrong type.
 *
 * @example
 * wrongTypeField(openrouterSpec.VideoGenerationRequest); // { field: 'duration', value: 'reelkit-wrong-type', expected: 'a number' }
 */
export function wrongTypeField(schema: z.ZodType): InvalidField | undefined {
  for (const [field, fieldSchema] of Object.entries(shapeOf(schema))) {
    const { schema: inner, optional } = unwrap(fieldSchema);
    if (optional && acceptsNumber(inner)) {
      return { field, value: 'reelkit-wrong-type', expected: 'a number' };
    }
  }
  for (const [field, fieldSchema] of Object.entries(shapeOf(schema))) {
    const { schema: inner, optional } = unwrap(fieldSchema);
    if (optional && defOf(inner).type === 'boolean') {
      return { field, value: 'reelkit-wrong-type', expected: 'a boolean' };
    }
  }
  return undefined;
}

/**
 * The first field of a request schema that takes an enumerated set, given a value outside it.
 *
 * @example
 * outOfSetField(openrouterSpec.VideoGenerationRequest); // { field: 'resolution', value: 'reelkit-out-of-set', expected: 'one of 480p, 720p, …' }
 */
export function outOfSetField(schema: z.ZodType): InvalidField | undefined {
  for (const [field, fieldSchema] of Object.entries(shapeOf(schema))) {
    const values = enumerated(unwrap(fieldSchema).schema);
    if (!values || values.length === 0) continue;
    const expected = `one of ${values.join(', ')}`;
    if (values.every((v) => typeof v === 'number')) {
      const numbers = values as number[];
      let candidate = Math.min(...numbers) + 1;
      while (numbers.includes(candidate)) candidate++;
      return { field, value: candidate, expected };
    }
    return { field, value: 'reelkit-out-of-set', expected };
  }
  return undefined;
}
