import { fastrouterSpec, imagerouterSpec, openrouterSpec, routmySpec, z } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { describeIssues, outOfSetField, validate, wrongTypeField } from './schema.js';

describe('invalid inputs derived from request schemas', () => {
  it('find an optional numeric field to give a string', () => {
    expect(wrongTypeField(openrouterSpec.VideoGenerationRequest)?.field).toBe('duration');
    expect(wrongTypeField(fastrouterSpec.FastRouterVideoRequest)?.field).toBe('length');
    expect(wrongTypeField(imagerouterSpec.VideoGenerationRequest)?.field).toBe('seconds');
    expect(wrongTypeField(routmySpec.RoutMyVideoRequest)?.field).toBe('duration');
  });

  it('find an enumerated field and a value outside its set', () => {
    expect(outOfSetField(openrouterSpec.VideoGenerationRequest)).toMatchObject({
      field: 'resolution',
      value: 'reelkit-out-of-set',
    });
    // length is 4 | 5 | 6 | 8 | 10 | 12: the first gap is 7.
    expect(outOfSetField(fastrouterSpec.FastRouterVideoRequest)).toMatchObject({
      field: 'length',
      value: 7,
    });
    expect(outOfSetField(imagerouterSpec.VideoGenerationRequest)?.field).toBe('response_format');
    expect(outOfSetField(routmySpec.RoutMyVideoRequest)).toBeUndefined();
  });

  it('each derived value is refused by its schema', () => {
    for (const schema of [
      openrouterSpec.VideoGenerationRequest,
      fastrouterSpec.FastRouterVideoRequest,
      imagerouterSpec.VideoGenerationRequest,
    ]) {
      for (const invalid of [wrongTypeField(schema), outOfSetField(schema)]) {
        const body = { model: 'm', prompt: 'p', [invalid!.field]: invalid!.value };
        expect(schema.safeParse(body).success, invalid!.field).toBe(false);
      }
    }
  });
});

describe('validate', () => {
  it('reports issue paths, and the closest branch of a union', () => {
    const schema = z.union([
      z.strictObject({ kind: z.literal('a'), n: z.number() }),
      z.strictObject({ error: z.strictObject({ message: z.string() }) }),
    ]);
    const issues = validate(schema, { kind: 'a', n: 'x' });
    expect(issues).toEqual([{ path: 'n', message: expect.stringContaining('expected number') }]);
    expect(describeIssues(issues)).toMatch(/^n: /);
    expect(validate(schema, { kind: 'a', n: 1 })).toEqual([]);
  });
});
