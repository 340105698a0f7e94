import { describe, expect, it } from 'vitest';
import { createInterner, flatString } from './strings.js';

describe('string interning', () => {
  it('returns strings equal to their input, whatever their representation (sharing itself is measured by npm run bench)', () => {
    const intern = createInterner(10);
    const header = 'Bearer sk-one-two-three';
    const a = intern(header.slice(7));
    const b = intern(['sk', 'one', 'two', 'three'].join('-'));
    expect(a).toBe('sk-one-two-three');
    expect(b).toBe(a);
    expect(flatString(`${a}!`)).toBe('sk-one-two-three!');
  });
});
