import { openrouter } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { createTrafficAuditor } from './audit.js';

const BASE = 'https://openrouter.ai/api/v1';
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createTrafficAuditor', () => {
  it('passes a contract-keeping exchange', async () => {
    const auditor = createTrafficAuditor({
      spec: openrouter,
      baseUrl: BASE,
      fetch: async () =>
        json({ id: 'abc', polling_url: `${BASE}/videos/abc`, status: 'pending' }, 202),
    });
    await auditor.fetch(`${BASE}/videos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'x' }),
    });
    expect(await auditor.findings()).toEqual([]);
    expect(auditor.audited).toBe(1);
  });

  it('names a bad request body, an undeclared status and a body that breaks the schema', async () => {
    const answers = [
      json({ id: 'abc', polling_url: 'p', status: 'pending' }, 200),
      json({ id: 'abc', status: 'done' }),
    ];
    const auditor = createTrafficAuditor({
      spec: openrouter,
      baseUrl: BASE,
      fetch: async () => answers.shift() as Response,
    });
    await auditor.fetch(`${BASE}/videos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'google/veo-3.1', duration: 'eight' }),
    });
    await auditor.fetch(`${BASE}/videos/abc`);
    const findings = await auditor.findings();
    expect(findings.map((f) => [f.operationId, f.side, f.rule])).toEqual([
      ['createVideos', 'request', 'body matches the route schema'],
      ['createVideos', 'response', 'only declared statuses'],
      ['getVideos', 'response', 'body matches the 200 schema'],
    ]);
    expect(findings[0]?.message).toMatch(/duration/);
    expect(findings[2]?.message).toMatch(/polling_url/);
  });

  it('leaves requests to other origins alone', async () => {
    const auditor = createTrafficAuditor({
      spec: openrouter,
      baseUrl: BASE,
      fetch: async () => json({ anything: true }),
    });
    await auditor.fetch('https://example.com/elsewhere');
    expect(await auditor.findings()).toEqual([]);
    expect(auditor.audited).toBe(0);
  });
});
