/**
 * The generated OpenRouter document must agree with OpenRouter's own published OpenAPI
 * (packages/spec/reference/openrouter-openapi-videos.json): same paths and methods, same response
 * statuses, every official property present with a compatible type, same required fields and
 * enum values. Deliberate differences are listed below with their reasons (also in the README).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openrouter } from '../src/index.js';
import { generateOpenApiDocument } from '../src/openapi/generate.js';
import { OFFICIAL_OPENROUTER } from './helpers.js';

type Schema = Record<string, unknown>;
type Doc = {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
};

/** Where our document differs on purpose; `at` is the location the comparison reports. */
export const DELIBERATE_DIFFERENCES: readonly { at: string; reason: string }[] = [
  {
    at: 'POST /videos request.provider.options: official properties',
    reason:
      'The official ProviderOptions lists ~136 provider slugs as properties; we accept any slug (a record), which admits every official one.',
  },
];

function deref(doc: Doc, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let i = 0; i < 20 && typeof current.$ref === 'string'; i++) {
    const name = current.$ref.split('/').pop() as string;
    current = doc.components?.schemas?.[name] ?? {};
  }
  return current;
}

/** Flattens allOf and $ref into one object schema view. */
function view(doc: Doc, schema: Schema | undefined): Schema {
  const s = deref(doc, schema);
  if (!Array.isArray(s.allOf)) return s;
  const merged: Schema = { ...s, properties: {}, required: [] };
  delete merged.allOf;
  for (const part of s.allOf as Schema[]) {
    const p = view(doc, part);
    Object.assign(merged.properties as Schema, p.properties ?? {});
    (merged.required as string[]).push(...((p.required as string[] | undefined) ?? []));
    if (p.type && !merged.type) merged.type = p.type;
  }
  return merged;
}

function typesOf(doc: Doc, schema: Schema): Set<string> {
  const s = view(doc, schema);
  const out = new Set<string>();
  const add = (t: unknown) =>
    (Array.isArray(t) ? t : t ? [t] : []).forEach((x) => out.add(String(x)));
  add(s.type);
  for (const key of ['anyOf', 'oneOf'] as const) {
    for (const branch of (s[key] as Schema[] | undefined) ?? [])
      typesOf(doc, branch).forEach((t) => out.add(t));
  }
  if (out.size === 0 && (s.properties || s.discriminator)) out.add('object');
  if (s.nullable) out.add('null');
  return out;
}

/** Compares one official schema with ours, pushing human-readable findings. */
function compare(
  official: Doc,
  ours: Doc,
  a: Schema,
  b: Schema,
  at: string,
  findings: string[],
  depth = 0,
): void {
  if (depth > 8) return;
  const o = view(official, a);
  const m = view(ours, b);
  const ot = typesOf(official, o);
  const mt = typesOf(ours, m);
  for (const t of ot) {
    const ok = mt.has(t) || (t === 'integer' && mt.has('number')) || mt.size === 0;
    if (!ok) findings.push(`${at}: official type ${t} not accepted (ours: ${[...mt].join('|')})`);
  }
  if (Array.isArray(o.enum)) {
    const ourEnum = (m.enum as unknown[] | undefined) ?? [];
    if (JSON.stringify([...o.enum].sort()) !== JSON.stringify([...ourEnum].sort())) {
      findings.push(
        `${at}: enum differs (official ${JSON.stringify(o.enum)}, ours ${JSON.stringify(ourEnum)})`,
      );
    }
  }
  const oReq = new Set((o.required as string[] | undefined) ?? []);
  const mReq = new Set((m.required as string[] | undefined) ?? []);
  if (o.properties) {
    if ([...oReq].sort().join() !== [...mReq].sort().join()) {
      findings.push(`${at}: required differs (official [${[...oReq]}], ours [${[...mReq]}])`);
    }
    const oProps = o.properties as Record<string, Schema>;
    const mProps = (m.properties as Record<string, Schema> | undefined) ?? {};
    const missing = Object.keys(oProps).filter((k) => !(k in mProps));
    if (missing.length > 0) {
      if (m.additionalProperties && Object.keys(mProps).length === 0) {
        findings.push(`${at}: official properties`);
      } else {
        findings.push(`${at}: missing properties ${missing.join(', ')}`);
      }
    }
    for (const key of Object.keys(oProps)) {
      if (key in mProps)
        compare(
          official,
          ours,
          oProps[key] as Schema,
          mProps[key] as Schema,
          `${at}.${key}`,
          findings,
          depth + 1,
        );
    }
  }
  if (o.items)
    compare(
      official,
      ours,
      o.items as Schema,
      (m.items as Schema) ?? {},
      `${at}[]`,
      findings,
      depth + 1,
    );
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = (o[key] as Schema[] | undefined) ?? [];
    const ourBranches = ((m.oneOf ?? m.anyOf) as Schema[] | undefined) ?? [];
    branches.forEach((branch, i) => {
      const match = ourBranches[i];
      if (match) compare(official, ours, branch, match, `${at}|${i}`, findings, depth + 1);
      else findings.push(`${at}: official ${key} branch ${i} has no counterpart`);
    });
  }
}

function parametersOf(op: Schema): Map<string, Schema> {
  return new Map(
    ((op.parameters as Schema[] | undefined) ?? []).map((p) => [`${p.in}:${p.name}`, p]),
  );
}

describe('OpenRouter document vs the official OpenAPI extract', () => {
  const official = JSON.parse(readFileSync(OFFICIAL_OPENROUTER, 'utf8')) as Doc;
  const ours = generateOpenApiDocument(openrouter) as unknown as Doc;

  it('has the same paths and methods', () => {
    const list = (d: Doc) =>
      Object.entries(d.paths)
        .flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`))
        .sort();
    expect(list(ours)).toEqual(list(official));
  });

  const operations = Object.entries(official.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s agrees on operationId, statuses, parameters and schemas',
    (label, { path, method, op }) => {
      const mine = ours.paths[path]?.[method] as Schema;
      expect(mine, label).toBeDefined();
      expect(mine.operationId).toBe(op.operationId);
      expect(Object.keys(mine.responses as Schema).sort()).toEqual(
        Object.keys(op.responses as Schema).sort(),
      );

      const findings: string[] = [];
      const ourParams = parametersOf(mine);
      for (const [key, param] of parametersOf(op)) {
        const match = ourParams.get(key);
        if (!match) findings.push(`${label} parameter ${key} missing`);
        else {
          if (Boolean(param.required) !== Boolean(match.required))
            findings.push(`${label} parameter ${key}: required differs`);
          compare(
            official,
            ours,
            param.schema as Schema,
            match.schema as Schema,
            `${label} parameter ${key}`,
            findings,
          );
        }
      }
      const body = (op.requestBody as Schema | undefined)?.content as
        Record<string, Schema> | undefined;
      for (const [type, media] of Object.entries(body ?? {})) {
        const ourMedia = (
          (mine.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined
        )?.[type];
        if (!ourMedia) findings.push(`${label} request ${type} missing`);
        else
          compare(
            official,
            ours,
            media.schema as Schema,
            ourMedia.schema as Schema,
            `${label} request`,
            findings,
          );
      }
      for (const [status, response] of Object.entries(op.responses as Record<string, Schema>)) {
        const content = (response.content ?? {}) as Record<string, Schema>;
        for (const [type, media] of Object.entries(content)) {
          const ourMedia = (
            ((mine.responses as Record<string, Schema>)[status]?.content ?? {}) as Record<
              string,
              Schema
            >
          )[type];
          if (!ourMedia) findings.push(`${label} ${status} ${type} missing`);
          else
            compare(
              official,
              ours,
              media.schema as Schema,
              ourMedia.schema as Schema,
              `${label} ${status}`,
              findings,
            );
        }
      }
      const allowed = new Set(DELIBERATE_DIFFERENCES.map((d) => d.at));
      expect(findings.filter((f) => !allowed.has(f))).toEqual([]);
    },
  );

  it('lists only deliberate differences that still occur', () => {
    // A stale entry would hide nothing but mislead the README; keep the list honest.
    const findings: string[] = [];
    for (const { path, method, op } of operations) {
      const mine = ours.paths[path]?.[method] as Schema;
      const body = (op.requestBody as Schema | undefined)?.content as
        Record<string, Schema> | undefined;
      for (const [type, media] of Object.entries(body ?? {})) {
        const ourMedia = ((mine.requestBody as Schema).content as Record<string, Schema>)[
          type
        ] as Schema;
        compare(
          official,
          ours,
          media.schema as Schema,
          ourMedia.schema as Schema,
          `${method.toUpperCase()} ${path} request`,
          findings,
        );
      }
    }
    for (const d of DELIBERATE_DIFFERENCES) expect(findings).toContain(d.at);
  });
});
