import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const program = createProgram({
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  }).exitOverride();
  return program.parseAsync(['node', 'reelkit', ...args]).then(
    () => ({ out: out.join('\n'), err: err.join('\n') }),
    (error: unknown) => ({ out: out.join('\n'), err: err.join('\n'), error }),
  );
}

describe('reelkit routes', () => {
  it('lists the OpenRouter endpoints with their declared statuses', async () => {
    const { out } = await run(['routes', '--provider', 'openrouter']);
    expect(out).toContain('POST /api/v1/videos');
    expect(out).toMatch(
      /GET\s+\/api\/v1\/videos\/\{jobId\}\/content\s+listVideosContent\s+200 400 401 404 500 502/,
    );
  });
});
