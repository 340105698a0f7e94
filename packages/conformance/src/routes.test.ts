import { fastrouter, openrouter } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { compileRouteTable } from './routes.js';

describe('compileRouteTable', () => {
  it('matches static routes before parameterised ones, under any prefix', () => {
    const table = compileRouteTable(openrouter, 'http://h:1/proxy/api/v1/');
    expect(table.match('GET', 'http://h:1/proxy/api/v1/videos/models')?.key).toBe('listModels');
    expect(table.match('GET', 'http://h:1/proxy/api/v1/videos/a%2Fb')).toMatchObject({
      key: 'getVideo',
      params: { jobId: 'a/b' },
    });
    expect(table.match('POST', 'http://h:1/proxy/api/v1/videos/x')).toBeUndefined();
    expect(table.match('GET', 'http://other:1/proxy/api/v1/videos/x')).toBeUndefined();
  });

  it('matches nothing, rather than throwing, for an id that is not valid percent-encoding', () => {
    const table = compileRouteTable(openrouter, 'http://h:1/api/v1');
    expect(table.match('GET', 'http://h:1/api/v1/videos/%E0%A4%A')).toBeUndefined();
    expect(table.match('GET', 'http://h:1/api/v1/videos/%zz/content')).toBeUndefined();
  });

  it('builds URLs with encoded parameters and a query', () => {
    const table = compileRouteTable(fastrouter, 'https://go.fastrouter.ai/api/v1');
    expect(table.url('getVideo', { task_id: 'fr 1' }, { a: 'b' })).toBe(
      'https://go.fastrouter.ai/api/v1/videos/fr%201?a=b',
    );
    expect(() => table.get('nope')).toThrow(/no route 'nope'/);
    expect(() => table.url('nope')).toThrow(/no route 'nope'/);
  });
});
