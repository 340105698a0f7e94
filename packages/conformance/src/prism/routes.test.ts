import { fastrouter, fullPath, openrouter } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { operationMatcher, replayable } from './routes.js';

describe('operationMatcher', () => {
  const operationOf = operationMatcher('openrouter');

  it('names the spec operation a path addresses, decoding the job id', () => {
    const { getVideo, getVideoContent } = openrouter.routes;
    expect(operationOf('GET', getVideo.path.replace('{jobId}', 'a%2Fb'))).toBe(
      getVideo.operationId,
    );
    expect(operationOf('GET', getVideoContent.path.replace('{jobId}', 'abc'))).toBe(
      getVideoContent.operationId,
    );
  });

  it('says unknown for a path no route has, or one that is not valid percent-encoding', () => {
    expect(operationOf('DELETE', '/videos/abc')).toBe('unknown (DELETE /videos/abc)');
    expect(operationOf('GET', '/videos/%zz')).toBe('unknown (GET /videos/%zz)');
  });

  it('matches paths relative to the base path, as the relay passes them', () => {
    const mounted = fullPath(openrouter, openrouter.routes.listModels);
    expect(operationOf('GET', mounted)).toMatch(/^unknown/);
  });
});

describe('replayable', () => {
  it('replays reads, and only the POSTs a router documents as streaming the video', () => {
    expect(replayable('openrouter', 'GET', 'anything')).toBe(true);
    expect(replayable('openrouter', 'POST', openrouter.routes.createVideo.operationId)).toBe(false);
    expect(replayable('fastrouter', 'POST', 'getVideoResponse')).toBe(true);
    expect(replayable('fastrouter', 'POST', fastrouter.routes.createVideo.operationId)).toBe(false);
  });
});
