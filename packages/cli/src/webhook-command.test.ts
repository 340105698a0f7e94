import { OPENROUTER_FAILURES } from '@reelkit/mocks';
import { openrouter, openrouterSpec } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { exampleEvent } from './webhook-command.js';

const at = new Date('2026-01-02T03:04:05.000Z');

describe('exampleEvent', () => {
  it.each(openrouterSpec.WEBHOOK_STATUSES)('%s is a valid OpenRouter video event', (status) => {
    const event = exampleEvent(status, 'job_1', at);
    expect(openrouterSpec.VideoWebhookEvent.parse(event)).toEqual(event);
    expect(event.type).toBe(openrouterSpec.webhookEventType(status));
    expect(event.data).toMatchObject({ id: 'job_1', status });
  });

  it('words failures as the OpenRouter mock words its failed jobs', () => {
    expect(exampleEvent('failed', 'j', at).data).toMatchObject({
      error: OPENROUTER_FAILURES.moderation,
    });
    expect(exampleEvent('cancelled', 'j', at).data).toMatchObject({
      error: OPENROUTER_FAILURES.cancelled,
    });
    expect(exampleEvent('expired', 'j', at).data).toMatchObject({
      error: OPENROUTER_FAILURES.expired,
    });
  });

  it('points a completed event at the job content route, the id encoded', () => {
    const event = exampleEvent('completed', 'a/b', at);
    const urls = (event.data as { unsigned_urls: string[] }).unsigned_urls;
    expect(urls).toEqual([`${openrouter.origin}/api/v1/videos/a%2Fb/content?index=0`]);
  });
});
