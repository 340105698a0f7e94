import type { ResolvedGeneration } from '@reelkit/spec';
import { defineLifecycle, openrouterSpec } from '@reelkit/spec';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import type { NewJob } from './store.js';
import { createJobStore } from './store.js';

const lifecycle = openrouterSpec.openrouterLifecycle;
const generation: ResolvedGeneration = {
  model: 'google/veo-3.1',
  durationSeconds: 4,
  width: 1280,
  height: 720,
  count: 1,
  audio: false,
  adjustments: [],
};

function newJob(id: string, overrides: Partial<NewJob> = {}): NewJob {
  return {
    id,
    provider: 'openrouter',
    lifecycle,
    apiKey: 'k',
    generation,
    request: { prompt: id },
    scenario: 'success',
    path: [
      { status: 'pending', forMs: 1_000 },
      { status: 'in_progress', forMs: 2_000 },
      { status: 'completed', forMs: 0 },
    ],
    ttlMs: 10_000,
    ...overrides,
  };
}

describe('job store', () => {
  it('reads status, history and timeline from the planned times', async () => {
    const clock = createManualClock({ start: 5_000 });
    const jobs = createJobStore({ clock });
    const job = jobs.create(newJob('a'));
    expect(job.createdAt).toBe(5_000);
    expect(job.timeline).toEqual([
      { status: 'pending', at: 5_000 },
      { status: 'in_progress', at: 6_000 },
      { status: 'completed', at: 8_000 },
    ]);
    expect(job.expiresAt).toBe(18_000);
    expect(jobs.statusOf(job)).toEqual({ status: 'pending', at: 5_000 });
    await clock.advance(1_000);
    expect(jobs.statusOf(job)).toEqual({ status: 'in_progress', at: 6_000 });
    expect(jobs.isTerminalNow(job)).toBe(false);
    await clock.advance(2_000);
    expect(jobs.historyOf(job).map((e) => e.status)).toEqual([
      'pending',
      'in_progress',
      'completed',
    ]);
    expect(jobs.isTerminalNow(job)).toBe(true);
  });

  it('shares one status list and one generation between jobs of the same plan', () => {
    const jobs = createJobStore({ clock: createManualClock() });
    const a = jobs.create(newJob('a'));
    const b = jobs.create(newJob('b', { generation: { ...generation } }));
    const c = jobs.create(newJob('c', { generation: { ...generation, durationSeconds: 8 } }));
    expect(b.generation).toBe(a.generation);
    expect(c.generation).not.toBe(a.generation);
    expect(c.generation.durationSeconds).toBe(8);
    // Same statuses, different times: the entries differ, the status strings are shared.
    const d = jobs.create(
      newJob('d', { path: [{ status: 'pending', forMs: 50 }, ...newJob('d').path.slice(1)] }),
    );
    expect(d.timeline[1]?.at).not.toBe(a.timeline[1]?.at);
    expect(d.timeline.map((e) => e.status)).toEqual(a.timeline.map((e) => e.status));
  });

  it('checks every plan against its own lifecycle, even one seen before under another', () => {
    const jobs = createJobStore({ clock: createManualClock() });
    jobs.create(newJob('ok'));
    const strict = defineLifecycle({
      name: 'strict',
      statuses: ['pending', 'in_progress', 'completed'],
      initial: 'pending',
      intermediate: ['pending', 'in_progress'],
      terminal: ['completed'],
      success: 'completed',
      // in_progress cannot complete directly here
      transitions: { pending: ['in_progress', 'completed'], in_progress: [], completed: [] },
      canonical: { pending: 'queued', in_progress: 'in_progress', completed: 'completed' },
    });
    expect(() => jobs.create(newJob('bad', { lifecycle: strict }))).toThrow(
      /'in_progress' → 'completed' is illegal/,
    );
    expect(() =>
      jobs.create(newJob('no-end', { path: [{ status: 'pending', forMs: 1 }] })),
    ).toThrow(/must end in a terminal status/);
    expect(() =>
      jobs.create(newJob('wrong-start', { path: [{ status: 'completed', forMs: 0 }] })),
    ).toThrow(/must start 'pending'/);
  });

  it('evicts each job exactly when its retention ends, in any creation order', async () => {
    const clock = createManualClock({ start: 0 });
    const jobs = createJobStore({ clock });
    const evicted: string[] = [];
    jobs.onEvict((job) => evicted.push(job.id));
    // Created in one order, expiring in another: long render first, short one second.
    const long = jobs.create(newJob('long', { ttlMs: 1_000 })); // ends 3 s, expires 4 s
    const short = jobs.create(
      newJob('short', {
        path: [
          { status: 'pending', forMs: 100 },
          { status: 'completed', forMs: 0 },
        ],
        ttlMs: 1_000,
      }),
    ); // expires 1.1 s
    expect([long.expiresAt, short.expiresAt]).toEqual([4_000, 1_100]);
    await clock.advance(1_099);
    expect(jobs.sweep()).toBe(0);
    await clock.advance(1);
    expect(jobs.sweep()).toBe(1);
    expect(evicted).toEqual(['short']);
    expect(jobs.get('long')).toBe(long);
    await clock.advance(2_900);
    // Reading an expired job evicts it too; the later sweep does not evict it twice.
    expect(jobs.get('long')).toBeUndefined();
    expect(jobs.sweep()).toBe(0);
    expect(evicted).toEqual(['short', 'long']);
    expect(jobs.size).toBe(0);
  });

  it('sweeps expired jobs as new ones arrive, so memory stays bounded without reads', async () => {
    const clock = createManualClock({ start: 0 });
    const jobs = createJobStore({ clock });
    for (let i = 0; i < 100; i++) jobs.create(newJob(`old-${i}`));
    await clock.advance(20_000);
    jobs.create(newJob('new'));
    expect(jobs.size).toBe(1);
  });
});

describe('job data', () => {
  type NoteData = { readonly note: string };

  it('keeps the data of a typed store as given, typed on the way out', () => {
    const store = createJobStore<NoteData>({ clock: createManualClock() });
    const job = store.create({ ...newJob('a'), data: { note: 'hello' } });
    // Typed: no cast between the store and the field.
    const note: string | undefined = store.get(job.id)?.data.note;
    expect(note).toBe('hello');
  });
});

describe('job store limits', () => {
  it('makes room by evicting finished jobs at maxJobs, and refuses while every job is unfinished', async () => {
    const clock = createManualClock({ start: 0 });
    const jobs = createJobStore({ clock, maxJobs: 3 });
    const evicted: string[] = [];
    jobs.onEvict((job) => evicted.push(job.id));
    for (const id of ['a', 'b', 'c']) jobs.create(newJob(id, { apiKey: `key-${id}` }));
    expect(jobs.isFull()).toBe(true);
    expect(() => jobs.create(newJob('d'))).toThrow(/3 unfinished jobs/);
    await clock.advance(3_000); // all three completed
    expect(jobs.isFull()).toBe(false);
    expect(jobs.size).toBe(2);
    jobs.create(newJob('d'));
    expect(jobs.size).toBe(3);
    expect(evicted).toHaveLength(1);
    expect(jobs.countOf(`key-${evicted[0]!}`)).toBe(0);
    expect(jobs.countOf('k')).toBe(1);
  });

  it('refuses a cap that is not a positive integer', () => {
    const clock = createManualClock();
    for (const maxJobs of [0, -1, 1.5, Number.NaN]) {
      expect(() => createJobStore({ clock, maxJobs })).toThrow(RangeError);
    }
  });

  it('keeps a compact copy of a large request and the request itself otherwise', () => {
    const jobs = createJobStore({ clock: createManualClock() });
    const small = { prompt: 'a cat', duration: 4 };
    expect(jobs.create(newJob('small', { request: small })).request).toBe(small);
    const huge = jobs.create(
      newJob('huge', {
        request: {
          prompt: 'x'.repeat(20_000_000),
          list: Array.from({ length: 500 }, (_, i) => i),
          deep: { a: { b: { c: { d: { e: 'deep' } } } } },
        },
      }),
    ).request;
    expect(JSON.stringify(huge).length).toBeLessThan(4_000);
    expect(huge.prompt).toMatch(/… \[20000000 characters\]$/);
    expect((huge.list as unknown[]).at(-1)).toBe('… [450 more]');
    expect(JSON.stringify(huge.deep)).toContain('[object of 1 keys]');
  });
});
