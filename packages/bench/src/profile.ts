/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went: by area
 * (fastify, undici's Web Request/Response, zod, the reelkit engine, ...) and by function.
 * @module
 */

/** The parts of the `.cpuprofile` format this module reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
    readonly children?: readonly number[];
  }[];
  /** Microseconds, on the same clock as `process.hrtime`. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A share of the busy (non-idle) samples. */
export interface Share {
  readonly name: string;
  /** Percent of busy samples. */
  readonly percent: number;
}

/** What a profile says. */
export interface ProfileSummary {
  readonly workload: string;
  /** The process profiled (a benchmark target, e.g. `reelkit-default`). */
  readonly target: string;
  /** Successful responses it gave while measured. */
  readonly requests?: number;
  /** CPU time (user + system, from /proc) it spent per response while measured, µs. */
  readonly cpuUsPerReq?: number;
  /** Busy samples counted (idle ones and those before `fromUs` are left out). */
  readonly busySamples: number;
  /** Self time by area; native and generic node frames count for their caller's area. */
  readonly areas: readonly Share[];
  /** Self time by function, the top {@link SELF_KEPT}. */
  readonly selfTop: readonly Share[];
  /** Time spent in a function or anything it called, for the mock's own functions. */
  readonly inclusiveTop: readonly Share[];
}

/** Node internals that are not in a named area; their time goes to the caller's area. */
const GENERIC = 'node core (other)';

/** Areas, tried in order against a frame's URL (or its name for V8's pseudo-frames). */
const AREAS: readonly { name: string; test: (url: string, fn: string) => boolean }[] = [
  { name: 'garbage collector', test: (_u, fn) => fn === '(garbage collector)' },
  { name: 'V8/native (program)', test: (_u, fn) => fn === '(program)' },
  {
    name: 'undici: Web Request/Response/Headers',
    test: (u) => u.includes('node:internal/deps/undici'),
  },
  { name: 'Web streams', test: (u) => u.includes('node:internal/webstreams') },
  { name: 'node streams', test: (u) => u.includes('node:internal/streams') || u === 'node:stream' },
  {
    name: 'node http/net',
    test: (u) =>
      u.startsWith('node:_http') ||
      u.startsWith('node:net') ||
      u.startsWith('node:internal/http') ||
      u === 'node:http',
  },
  { name: 'node:url / URL', test: (u) => u.includes('node:internal/url') || u === 'node:url' },
  {
    name: 'fastify',
    test: (u) => /node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify)\//.test(u),
  },
  { name: 'zod', test: (u) => u.includes('node_modules/zod/') },
  { name: 'reelkit spec', test: (u) => u.includes('/spec/dist/') || u.includes('/spec/src/') },
  {
    name: 'reelkit mocks: fastify adapter',
    test: (u) => u.includes('/adapters/fastify.'),
  },
  {
    name: 'reelkit mocks: engine',
    test: (u) => /\/core\/(engine|router|scenarios|control)\./.test(u),
  },
  { name: 'reelkit mocks: job store', test: (u) => /\/core\/(store|clock)\./.test(u) },
  { name: 'reelkit mocks: other core', test: (u) => /\/mocks\/(dist|src)\/core\//.test(u) },
  { name: 'reelkit mocks: openrouter', test: (u) => u.includes('/providers/') },
  { name: GENERIC, test: (u) => u.startsWith('node:') },
  { name: 'other', test: () => true },
];

const IDLE = new Set(['(idle)', '(root)']);

/** Functions kept by self time: enough to compare two profiles beyond the 15 printed. */
export const SELF_KEPT = 40;
const PRINTED = 15;

/** What {@link summariseProfile} is told besides the profile. */
export interface ProfileContext {
  readonly workload: string;
  readonly target: string;
  /** Leave out samples before this moment (`process.hrtime` µs, the profile's clock). */
  readonly fromUs?: number;
  readonly requests?: number;
  readonly cpuUsPerReq?: number;
}

function shortUrl(url: string): string {
  if (!url) return '';
  const cleaned = url.replace(/^file:\/\//, '');
  const nm = cleaned.lastIndexOf('node_modules/');
  if (nm >= 0) return cleaned.slice(nm + 'node_modules/'.length);
  const packages = cleaned.lastIndexOf('/packages/');
  if (packages >= 0) return cleaned.slice(packages + 1);
  return cleaned;
}

function areaOf(url: string, fn: string): string {
  return (AREAS.find((area) => area.test(url, fn)) as (typeof AREAS)[number]).name;
}

function top(counts: Map<string, number>, total: number, limit: number): Share[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, n]) => ({ name, percent: Math.round((n / total) * 1000) / 10 }));
}

/**
 * Summarises a profile; samples taken before `context.fromUs` (e.g. start-up) are left out.
 *
 * @example
 * const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), { workload: 'poll', target: 'reelkit-default' });
 * summary.areas[0]; // { name: 'fastify', percent: 31.2 }
 */
export function summariseProfile(profile: CpuProfile, context: ProfileContext): ProfileSummary {
  const { fromUs } = context;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (id: number) => {
    const frame = (byId.get(id) as CpuProfile['nodes'][number]).callFrame;
    const url = shortUrl(frame.url);
    return `${frame.functionName || '(anonymous)'}${url ? ` ${url}:${frame.lineNumber + 1}` : ''}`;
  };
  // Native functions (no URL) and node's generic internals count for the nearest caller in a
  // named area: a socket write called by the http module is http time.
  const areaOfSample = (id: number): string => {
    const leaf = (byId.get(id) as CpuProfile['nodes'][number]).callFrame;
    const own = areaOf(leaf.url, leaf.functionName);
    if (leaf.url && own !== GENERIC) return own;
    if (!leaf.url && leaf.functionName.startsWith('(')) return own;
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const frame = (byId.get(at) as CpuProfile['nodes'][number]).callFrame;
      if (!frame.url) continue;
      const area = areaOf(frame.url, frame.functionName);
      if (area !== GENERIC) return area;
    }
    return leaf.url ? own : 'native, no JS caller';
  };
  const start =
    fromUs !== undefined && fromUs > profile.startTime && fromUs < profile.endTime
      ? fromUs
      : profile.startTime;
  const areas = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let time = profile.startTime;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i] ?? 0;
    if (time < start) return;
    const node = byId.get(id);
    if (!node || IDLE.has(node.callFrame.functionName)) return;
    busy++;
    const area = areaOfSample(id);
    areas.set(area, (areas.get(area) ?? 0) + 1);
    const name = label(id);
    self.set(name, (self.get(name) ?? 0) + 1);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = (byId.get(at) as CpuProfile['nodes'][number]).callFrame;
      if (!/\/(mocks|spec)\/(dist|src)\//.test(frame.url)) continue;
      const key = label(at);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    }
  });
  const total = Math.max(1, busy);
  return {
    workload: context.workload,
    target: context.target,
    ...(context.requests !== undefined ? { requests: context.requests } : {}),
    ...(context.cpuUsPerReq !== undefined ? { cpuUsPerReq: context.cpuUsPerReq } : {}),
    busySamples: busy,
    areas: top(areas, total, AREAS.length),
    selfTop: top(self, total, SELF_KEPT),
    inclusiveTop: top(inclusive, total, PRINTED),
  };
}

/**
 * Formats a summary for the console.
 *
 * @example
 * console.log(formatProfile(summary).join('\n'));
 */
export function formatProfile(summary: ProfileSummary): string[] {
  const pct = (share: Share) => `${share.percent.toFixed(1).padStart(5)}%  ${share.name}`;
  const cpu =
    summary.cpuUsPerReq !== undefined ? `, ${summary.cpuUsPerReq} µs of CPU per response` : '';
  return [
    `CPU profile of ${summary.target} under ${summary.workload} load (${summary.busySamples} busy samples${cpu}):`,
    '  (wall-clock samples: on a busy machine, time in system calls such as socket writes is over-represented)',
    '  self time by area:',
    ...summary.areas.map((share) => `    ${pct(share)}`),
    `  self time by function (top ${PRINTED}):`,
    ...summary.selfTop.slice(0, PRINTED).map((share) => `    ${pct(share)}`),
    `  inclusive time of reelkit functions (top ${PRINTED}):`,
    ...summary.inclusiveTop.map((share) => `    ${pct(share)}`),
  ];
}

/** One line of a {@link compareProfiles} table: µs of CPU per response in each profile. */
export interface ProfileDifference {
  readonly name: string;
  readonly aUs: number;
  readonly bUs: number;
  /** `aUs - bUs`: what `a` spends more per response. */
  readonly moreUs: number;
}

/** Two profiles of the same workload, side by side in µs of CPU per response. */
export interface ProfileComparison {
  readonly workload: string;
  readonly a: string;
  readonly b: string;
  readonly aCpuUsPerReq: number;
  readonly bCpuUsPerReq: number;
  readonly areas: readonly ProfileDifference[];
  /** Functions whose cost differs most, either way. */
  readonly functions: readonly ProfileDifference[];
}

function differences(
  a: readonly Share[],
  b: readonly Share[],
  aUs: number,
  bUs: number,
): ProfileDifference[] {
  const names = new Set([...a, ...b].map((share) => share.name));
  const percentOf = (shares: readonly Share[], name: string) =>
    shares.find((share) => share.name === name)?.percent ?? 0;
  return [...names]
    .map((name) => {
      const x = round1((percentOf(a, name) / 100) * aUs);
      const y = round1((percentOf(b, name) / 100) * bUs);
      return { name, aUs: x, bUs: y, moreUs: round1(x - y) };
    })
    .sort((p, q) => Math.abs(q.moreUs) - Math.abs(p.moreUs) || q.aUs - p.aUs);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Puts two profiles of one workload side by side: each area's and function's share of busy
 * samples, times the CPU the process spent per response, says how many µs per response it
 * costs in each, and so where one spends more than the other. `undefined` when either profile
 * lacks its CPU per response (off Linux). Functions outside a profile's top {@link SELF_KEPT}
 * count as zero there.
 *
 * @example
 * const comparison = compareProfiles(defaults, manual);
 * comparison?.areas[0]; // { name: 'node http/net', aUs: 9.1, bUs: 8.7, moreUs: 0.4 }
 */
export function compareProfiles(
  a: ProfileSummary,
  b: ProfileSummary,
): ProfileComparison | undefined {
  if (a.cpuUsPerReq === undefined || b.cpuUsPerReq === undefined) return undefined;
  return {
    workload: a.workload,
    a: a.target,
    b: b.target,
    aCpuUsPerReq: a.cpuUsPerReq,
    bCpuUsPerReq: b.cpuUsPerReq,
    areas: differences(a.areas, b.areas, a.cpuUsPerReq, b.cpuUsPerReq),
    functions: differences(a.selfTop, b.selfTop, a.cpuUsPerReq, b.cpuUsPerReq).slice(0, PRINTED),
  };
}

/**
 * Formats a comparison for the console and BENCHMARKS.md.
 *
 * @example
 * console.log(formatComparison(comparison).join('\n'));
 */
export function formatComparison(comparison: ProfileComparison): string[] {
  const { a, b } = comparison;
  const more = round1(comparison.aCpuUsPerReq - comparison.bCpuUsPerReq);
  const row = (d: ProfileDifference) =>
    `    ${d.aUs.toFixed(1).padStart(6)}  ${d.bUs.toFixed(1).padStart(6)}  ${`${d.moreUs >= 0 ? '+' : ''}${d.moreUs.toFixed(1)}`.padStart(6)}  ${d.name}`;
  return [
    `${a} vs ${b} under ${comparison.workload} load, µs of CPU per response ` +
      `(${comparison.aCpuUsPerReq} vs ${comparison.bCpuUsPerReq}, ${more >= 0 ? '+' : ''}${more}):`,
    `    ${'a'.padStart(6)}  ${'b'.padStart(6)}  ${'a − b'.padStart(6)}  by area`,
    ...comparison.areas.map(row),
    `    ${'a'.padStart(6)}  ${'b'.padStart(6)}  ${'a − b'.padStart(6)}  by function (largest differences)`,
    ...comparison.functions.map(row),
  ];
}
