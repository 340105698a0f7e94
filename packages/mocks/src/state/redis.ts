/**
 * The state store on Redis (through ioredis), shared by every replica that points at the same
 * server. Each operation that reads and then writes is one Lua script, which Redis runs
 * atomically: no replica can see or act between the read and the write. So a balance is never
 * spent twice, a `once` fault fires once, and a due webhook is claimed by one replica.
 *
 * Keys. Every key of namespace `ns` starts `reelkit:{ns}:` (the braces make one Redis Cluster hash
 * slot per namespace, so each script's keys sit on one node):
 *
 * | key                          | type   | holds                                                    |
 * | ---------------------------- | ------ | -------------------------------------------------------- |
 * | `job:<id>`                   | string | a job record (JSON); expires (PX) after its retention     |
 * | `jobs`                       | zset   | job ids by `expiresAt` (eviction and sweep order)         |
 * | `balances`                   | hash   | API key → balance in micro-units                          |
 * | `rate:<key>`                 | hash   | `start`, `count` of the key's current window; expires     |
 * | `faults`                     | hash   | fault id → rule (JSON)                                    |
 * | `faults:limit`               | hash   | fault id → most firings (absent: no limit)                |
 * | `faults:fired`               | hash   | fault id → firings so far                                 |
 * | `faults:seq`                 | string | counter for fault ids                                     |
 * | `wh`                         | hash   | delivery id → its fixed part (JSON: job, key, event)      |
 * | `wh:order`                   | zset   | delivery ids by enqueue sequence (`wh:seq`)               |
 * | `wh:seq`                     | string | counter for that sequence                                 |
 * | `wh:job:<jobId>`             | set    | the job's delivery ids (to forget them with the job)      |
 * | `wh:state`                   | hash   | delivery id → `delivered` or `failed` (absent: pending)   |
 * | `wh:due`                     | zset   | pending, unleased delivery ids by due time                |
 * | `wh:leases`                  | zset   | claimed delivery ids by lease end                         |
 * | `wh:owners`                  | hash   | claimed delivery id → the replica that holds the lease    |
 * | `wh:attempts:<id>`           | list   | the delivery's attempts (JSON), oldest first              |
 * | `clock`                      | hash   | `epoch`, `offset` (ms)                                    |
 *
 * The delivery queue is Redis primitives (a sorted set and a Lua claim with a lease) rather than
 * BullMQ: due times are the engine's simulated time, which a manual clock moves by hand, and
 * BullMQ's delays follow the wall clock.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { StateStoreOptions } from './memory.js';
import { checkMaxJobs, checkMaxNamespaces } from './memory.js';
import { DEFAULT_LEDGER_ENTRY_TTL_MS, DEFAULT_LEDGER_MAX_ENTRIES } from '../core/ledger.js';
import type {
  AttemptRecord,
  ClockReading,
  CreateOutcome,
  DeliveryRecord,
  FaultEntry,
  JobRecord,
  JsonValue,
  NamespaceOptions,
  NamespaceSnapshot,
  NamespaceState,
  StateStore,
} from './types.js';
import {
  checkNamespace,
  fromMicro,
  rateVerdict,
  StateStoreError,
  toMicro,
  windowStartOf,
} from './types.js';

/** The default first part of every key. */
export const DEFAULT_KEY_PREFIX = 'reelkit';

/** How long a rate window's counter outlives its last hit (real ms). */
const RATE_KEY_IDLE_MS = 3_600_000;

/** Keys swept or scanned per script call or SCAN step. */
const BATCH = 1000;

/**
 * A Lua function both the charge and the paid create call: takes `amount` (micro) from `key` if
 * the balance covers it (or down to 0 with `floor`); a new key past `maxEntries` is charged
 * without an entry (as if evicted at once); the balances outlive their last charge by `idle` ms.
 * Returns whether it charged, and the balance left.
 */
const CHARGE_FUNCTION = `
local function charge(balances, key, amount, default, floor, maxEntries, idle)
  local stored = redis.call('HGET', balances, key)
  local balance = tonumber(stored or default)
  amount = tonumber(amount)
  local left
  if balance < amount and floor == '1' then
    left = 0
  elseif balance < amount then
    return false, balance
  else
    left = balance - amount
  end
  if stored or redis.call('HLEN', balances) < tonumber(maxEntries) then
    redis.call('HSET', balances, key, left)
    redis.call('PEXPIRE', balances, idle)
  end
  return true, left
end
`;

// KEYS: jobs index, balances. ARGV: job key prefix, id, record, expiresAt, now, maxJobs, retainMs,
// then a payment ('' for none): API key, amount (micro), default balance (micro), most balances,
// balances' idle expiry. The payment is taken only when the job is stored, and the job stored
// only when the payment is taken.
const CREATE_JOB = `${CHARGE_FUNCTION}
local index, prefix, id = KEYS[1], ARGV[1], ARGV[2]
local now, max = tonumber(ARGV[5]), tonumber(ARGV[6])
for _, old in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', now, 'LIMIT', 0, ${BATCH})) do
  redis.call('DEL', prefix .. old)
  redis.call('ZREM', index, old)
end
if redis.call('EXISTS', prefix .. id) == 1 then return 'exists' end
while redis.call('ZCARD', index) >= max do
  local first = redis.call('ZRANGE', index, 0, 0)[1]
  local text = redis.call('GET', prefix .. first)
  if text then
    if tonumber(cjson.decode(text).finishesAt) > now then return 'full' end
    redis.call('DEL', prefix .. first)
  end
  redis.call('ZREM', index, first)
end
if ARGV[8] ~= '' then
  if not charge(KEYS[2], ARGV[8], ARGV[9], ARGV[10], '0', ARGV[11], ARGV[12]) then
    return 'unpaid'
  end
end
redis.call('SET', prefix .. id, ARGV[3], 'PX', ARGV[7])
redis.call('ZADD', index, ARGV[4], id)
return 'created'
`;

// KEYS[1] balances. ARGV: API key, amount (micro), default balance (micro), floor at zero (1|0),
// most balances, balances' idle expiry (real ms).
const CHARGE = `${CHARGE_FUNCTION}
local charged, left = charge(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
return {charged and 1 or 0, left}
`;

// KEYS[1] the key's window. ARGV: window start, idle expiry (real ms).
const RATE_HIT = `
local count
if redis.call('HGET', KEYS[1], 'start') == ARGV[1] then
  count = redis.call('HINCRBY', KEYS[1], 'count', 1)
else
  redis.call('HSET', KEYS[1], 'start', ARGV[1], 'count', 1)
  count = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return count
`;

// KEYS: faults, faults:limit, faults:seq. ARGV: rule (JSON), limit ('' for none).
const ADD_FAULT = `
local id = 'fault_' .. redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], id, ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], id, ARGV[2]) end
return id
`;

// KEYS: faults, faults:limit, faults:fired. ARGV: fault id.
const FIRE_FAULT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local limit = redis.call('HGET', KEYS[2], ARGV[1])
local fired = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if limit and fired >= tonumber(limit) then return 0 end
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
return 1
`;

// KEYS: wh, wh:due, wh:order, wh:seq, wh:job:<jobId>, the store's namespaces with deliveries.
// ARGV: id, fixed part (JSON), due time, namespace.
const ENQUEUE = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SADD', KEYS[6], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
redis.call('SADD', KEYS[5], ARGV[1])
return 1
`;

// KEYS: wh, wh:state, wh:order, wh:job:<jobId>. ARGV: attempts key prefix.
// Settled deliveries of the job go; pending (or leased) ones stay.
const FORGET_JOB = `
local forgotten = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if redis.call('HEXISTS', KEYS[2], id) == 1 then
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('ZREM', KEYS[3], id)
    redis.call('DEL', ARGV[1] .. id)
    redis.call('SREM', KEYS[4], id)
    forgotten = forgotten + 1
  end
end
return forgotten
`;

// KEYS: wh, wh:due, wh:leases, wh:owners, the store's namespaces with deliveries.
// ARGV: now, lease (ms), owner, lease clock's now, namespace.
// Leases that ran out (on the lease clock) put their delivery back on the queue, due now; a
// namespace with nothing queued or held leaves the store's set of namespaces to look at.
const CLAIM = `
local now, leaseNow = tonumber(ARGV[1]), tonumber(ARGV[4])
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', leaseNow, 'LIMIT', 0, ${BATCH})
for _, id in ipairs(lapsed) do
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  redis.call('ZADD', KEYS[2], now, id)
end
local first = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1)[1]
if not first then
  if redis.call('ZCARD', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
    redis.call('SREM', KEYS[5], ARGV[5])
  end
  return false
end
redis.call('ZREM', KEYS[2], first)
local leaseUntil = leaseNow + tonumber(ARGV[2])
redis.call('ZADD', KEYS[3], leaseUntil, first)
redis.call('HSET', KEYS[4], first, ARGV[3])
return first
`;

// KEYS: wh, wh:due, wh:leases, wh:state, wh:attempts:<id>. ARGV: id, attempt (JSON), delivered.
// A delivered attempt settles the delivery unless it is settled already or a replica holds it.
const RECORD = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[5], ARGV[2])
if ARGV[3] == '1' and redis.call('HEXISTS', KEYS[4], ARGV[1]) == 0
  and not redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HSET', KEYS[4], ARGV[1], 'delivered')
end
return 1
`;

// KEYS: wh:due, wh:leases, wh:owners. ARGV: owner, now.
// The owner's leased deliveries go back on the queue, due now.
const RELEASE = `
local released = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('HGET', KEYS[3], id) == ARGV[1] then
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    released = released + 1
  end
end
return released
`;

// KEYS: namespaces, generations, clock, settings, faults, faults:limit, faults:fired.
// ARGV: namespace, most namespaces. Registers the namespace (refused past the cap) and reads it.
// (Missing values come back as '': a nil would end Lua's reply array there.)
const SNAPSHOT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return {0} end
  redis.call('SADD', KEYS[1], ARGV[1])
end
local clock = redis.call('HMGET', KEYS[3], 'epoch', 'offset')
return {1, redis.call('HGET', KEYS[2], ARGV[1]) or '0', clock[1] or '', clock[2] or '',
  redis.call('GET', KEYS[4]) or '', redis.call('HGETALL', KEYS[5]), redis.call('HGETALL', KEYS[6]),
  redis.call('HGETALL', KEYS[7])}
`;

// KEYS: wh:due, wh:leases, wh:owners, wh:state, wh:attempts:<id>.
// ARGV: id, owner, attempt (JSON), result (delivered | failed | retry), retry time.
const SETTLE = `
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[5], ARGV[3])
if ARGV[4] == 'retry' then
  redis.call('ZADD', KEYS[1], ARGV[5], ARGV[1])
else
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
end
return 1
`;

// KEYS[1] clock. ARGV: ms.
const ADVANCE = `
if redis.call('HEXISTS', KEYS[1], 'epoch') == 0 then return false end
local offset = redis.call('HINCRBY', KEYS[1], 'offset', ARGV[1])
return {redis.call('HGET', KEYS[1], 'epoch'), offset}
`;

const SCRIPTS = {
  reelkitCreateJob: { numberOfKeys: 2, lua: CREATE_JOB },
  reelkitCharge: { numberOfKeys: 1, lua: CHARGE },
  reelkitRateHit: { numberOfKeys: 1, lua: RATE_HIT },
  reelkitAddFault: { numberOfKeys: 3, lua: ADD_FAULT },
  reelkitFireFault: { numberOfKeys: 3, lua: FIRE_FAULT },
  reelkitEnqueue: { numberOfKeys: 6, lua: ENQUEUE },
  reelkitForgetJob: { numberOfKeys: 4, lua: FORGET_JOB },
  reelkitClaim: { numberOfKeys: 5, lua: CLAIM },
  reelkitRelease: { numberOfKeys: 3, lua: RELEASE },
  reelkitRecord: { numberOfKeys: 5, lua: RECORD },
  reelkitSnapshot: { numberOfKeys: 7, lua: SNAPSHOT },
  reelkitSettle: { numberOfKeys: 5, lua: SETTLE },
  reelkitAdvance: { numberOfKeys: 1, lua: ADVANCE },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Scripts = Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

/** How long one command may wait for Redis before it fails (real ms), unless options say. */
const COMMAND_TIMEOUT_MS = 5_000;

/** The same object with each method's failures wrapped in a {@link StateStoreError}. */
function withClearErrors<T extends object>(
  part: string,
  where: string,
  target: T,
  connectionError: () => string | undefined = () => undefined,
): T {
  const wrapped = { ...target } as Record<string, unknown>;
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (cause) {
        if (cause instanceof RangeError) throw cause;
        const lost = connectionError();
        const reason = `${cause instanceof Error ? cause.message : String(cause)}${lost ? ` (connection: ${lost})` : ''}`;
        throw new StateStoreError(
          `[reelkit] ${part}.${name} failed on the Redis state store at ${where}: ${reason}`,
          { cause },
        );
      }
    };
  }
  return wrapped as T;
}

/** Options of {@link createRedisState}. */
export interface RedisStateOptions extends StateStoreOptions {
  /**
   * A `redis://host:port/db` URL (the store opens and closes its own connection), or an ioredis
   * client the caller owns (the store defines its scripts on it and never closes it).
   */
  readonly redis: string | Redis;
  /** First part of every key. Default {@link DEFAULT_KEY_PREFIX}. */
  readonly keyPrefix?: string;
  /** ioredis options for a connection the store opens. */
  readonly redisOptions?: RedisOptions;
}

/** A flat `[key, value, key, value …]` reply as an object. */
function pairs(flat: readonly string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) object[flat[i] as string] = flat[i + 1] as string;
  return object;
}

/** Fault entries from the three hashes that hold them, in the order they were added. */
function faultEntries(
  rules: Record<string, string>,
  limits: Record<string, string>,
  fired: Record<string, string>,
): FaultEntry[] {
  return Object.entries(rules)
    .map(([id, rule]): FaultEntry => ({
      id,
      rule: JSON.parse(rule) as JsonValue,
      limit: limits[id] === undefined ? undefined : Number(limits[id]),
      fired: Number(fired[id] ?? 0),
    }))
    .sort((a, b) => Number(a.id.slice(6)) - Number(b.id.slice(6)));
}

/** The fixed part of a delivery, as `wh` stores it. */
interface StoredDelivery {
  readonly id: string;
  readonly jobId: string;
  readonly idempotencyKey: string;
  readonly event: JsonValue;
}

/**
 * Creates the Redis state store. Several replicas that each call it with the same URL share one
 * state, namespace by namespace.
 *
 * @example
 * const store = createRedisState({ redis: 'redis://127.0.0.1:6379/0' });
 * const state = store.namespace('ci-run-42', { defaultBalance: 100 });
 * await state.ledger.charge('sk-test', 0.5); // { charged: true, balance: 99.5 }, on every replica
 * await store.close();
 */
export function createRedisState(options: RedisStateOptions): StateStore {
  const maxJobs = checkMaxJobs(options.maxJobs);
  const owned = typeof options.redis === 'string';
  const redis =
    typeof options.redis === 'string'
      ? new Redis(options.redis, {
          maxRetriesPerRequest: 2,
          commandTimeout: COMMAND_TIMEOUT_MS,
          // Commands of concurrent requests issued in one tick go out in one write.
          enableAutoPipelining: true,
          ...options.redisOptions,
        })
      : options.redis;
  const where = `${redis.options.host ?? '?'}:${redis.options.port ?? '?'}/${redis.options.db ?? 0}`;
  // A connection the store owns reports its trouble through the commands that fail (with the
  // last connection error in their message), not as an unhandled 'error' event.
  let connectionError: string | undefined;
  if (owned) {
    redis.on('error', (error: Error) => void (connectionError = error.message));
    redis.on('ready', () => void (connectionError = undefined));
  }
  for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
  const scripts = redis as unknown as Scripts;
  const root = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const prefixOf = (name: string) => `${root}:{${name}}:`;
  // Store-wide keys: the namespaces held (for the cap) and each one's generation.
  const registry = `${root}:namespaces`;
  const generations = `${root}:generations`;
  const withDeliveries = `${root}:webhook-namespaces`;
  const maxNamespaces = checkMaxNamespaces(options.maxNamespaces);
  const maxBalances = options.maxBalances ?? DEFAULT_LEDGER_MAX_ENTRIES;

  const clear = <T extends object>(part: string, target: T): T =>
    withClearErrors(part, where, target, () => connectionError);

  function namespace(name: string, nsOptions: NamespaceOptions = {}): NamespaceState {
    const p = prefixOf(checkNamespace(name));
    const defaultMicro = toMicro(nsOptions.defaultBalance ?? 0);
    const key = {
      job: (id: string) => `${p}job:${id}`,
      jobs: `${p}jobs`,
      balances: `${p}balances`,
      rate: (apiKey: string) => `${p}rate:${apiKey}`,
      faults: `${p}faults`,
      faultLimits: `${p}faults:limit`,
      faultsFired: `${p}faults:fired`,
      faultSeq: `${p}faults:seq`,
      deliveries: `${p}wh`,
      order: `${p}wh:order`,
      sequence: `${p}wh:seq`,
      byJob: (jobId: string) => `${p}wh:job:${jobId}`,
      deliveryState: `${p}wh:state`,
      due: `${p}wh:due`,
      leases: `${p}wh:leases`,
      owners: `${p}wh:owners`,
      attempts: (id: string) => `${p}wh:attempts:${id}`,
      clock: `${p}clock`,
      settings: `${p}settings`,
    };

    /** The deliveries with these ids, in one round trip. */
    async function deliveriesOf(ids: string[]): Promise<DeliveryRecord[]> {
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) {
        pipeline.hget(key.deliveries, id);
        pipeline.hget(key.deliveryState, id);
        pipeline.zscore(key.due, id);
        pipeline.lrange(key.attempts(id), 0, -1);
      }
      const replies = (await pipeline.exec()) ?? [];
      const found: DeliveryRecord[] = [];
      for (let i = 0; i < ids.length; i++) {
        const [fixed, state, due, attempts] = replies
          .slice(4 * i, 4 * i + 4)
          .map(([error, value]) => {
            if (error) throw error;
            return value;
          });
        if (typeof fixed !== 'string') continue;
        const stored = JSON.parse(fixed) as StoredDelivery;
        found.push({
          ...stored,
          state: state === 'delivered' || state === 'failed' ? state : 'pending',
          attempts: (attempts as string[]).map((a) => JSON.parse(a) as AttemptRecord),
          dueAt: due === null ? null : Number(due),
        });
      }
      return found;
    }

    return {
      namespace: name,
      jobs: clear('jobs', {
        maxJobs,
        async create(record, { now, retainMs, payment }) {
          const retain = Math.max(1, Math.ceil(retainMs ?? record.expiresAt - now));
          return (await scripts.reelkitCreateJob(
            key.jobs,
            key.balances,
            key.job(''),
            record.id,
            JSON.stringify(record),
            record.expiresAt,
            now,
            maxJobs,
            retain,
            ...(payment
              ? [
                  payment.key,
                  toMicro(payment.amount),
                  defaultMicro,
                  maxBalances,
                  DEFAULT_LEDGER_ENTRY_TTL_MS,
                ]
              : ['']),
          )) as CreateOutcome;
        },
        async get(id, now) {
          const text = await redis.get(key.job(id));
          if (text === null) return undefined;
          const job = JSON.parse(text) as JobRecord;
          if (job.expiresAt <= now) {
            await redis.multi().del(key.job(id)).zrem(key.jobs, id).exec();
            return undefined;
          }
          return job;
        },
        async list(now) {
          const ids = await redis.zrangebyscore(key.jobs, `(${now}`, '+inf');
          const jobs: JobRecord[] = [];
          for (let i = 0; i < ids.length; i += BATCH) {
            const texts = await redis.mget(ids.slice(i, i + BATCH).map(key.job));
            for (const text of texts) if (text !== null) jobs.push(JSON.parse(text) as JobRecord);
          }
          return jobs;
        },
        count: () => redis.zcard(key.jobs),
      }),
      ledger: clear('ledger', {
        defaultBalance: fromMicro(defaultMicro),
        async balanceOf(apiKey) {
          const micro = await redis.hget(key.balances, apiKey);
          return fromMicro(micro === null ? defaultMicro : Number(micro));
        },
        async set(apiKey, amount) {
          await redis.hset(key.balances, apiKey, toMicro(amount));
        },
        async charge(apiKey, amount, chargeOptions = {}) {
          const [charged, balance] = (await scripts.reelkitCharge(
            key.balances,
            apiKey,
            toMicro(amount),
            defaultMicro,
            chargeOptions.floorAtZero ? 1 : 0,
            maxBalances,
            DEFAULT_LEDGER_ENTRY_TTL_MS,
          )) as [number, number];
          return { charged: charged === 1, balance: fromMicro(balance) };
        },
        async entries() {
          const all = await redis.hgetall(key.balances);
          return Object.entries(all).map(([k, micro]): [string, number] => [
            k,
            fromMicro(Number(micro)),
          ]);
        },
      }),
      rateLimits: clear('rateLimits', {
        async hit(apiKey, { limit, windowMs, now }) {
          const windowStart = windowStartOf(now, windowMs);
          const count = Number(
            await scripts.reelkitRateHit(key.rate(apiKey), windowStart, RATE_KEY_IDLE_MS),
          );
          return rateVerdict({ count, limit, windowStart, windowMs, now });
        },
      }),
      faults: clear('faults', {
        async add(rule, limit) {
          if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
            throw new RangeError(
              `[reelkit] a fault's limit must be a positive integer, not ${limit}.`,
            );
          }
          const id = (await scripts.reelkitAddFault(
            key.faults,
            key.faultLimits,
            key.faultSeq,
            JSON.stringify(rule),
            limit ?? '',
          )) as string;
          return { id, rule, limit, fired: 0 };
        },
        async remove(id) {
          const replies = await redis
            .multi()
            .hdel(key.faults, id)
            .hdel(key.faultLimits, id)
            .hdel(key.faultsFired, id)
            .exec();
          return replies?.[0]?.[1] === 1;
        },
        async list() {
          const replies = await redis
            .multi()
            .hgetall(key.faults)
            .hgetall(key.faultLimits)
            .hgetall(key.faultsFired)
            .exec();
          const [rules, limits, fired] = (replies ?? []).map(([error, value]) => {
            if (error) throw error;
            return value as Record<string, string>;
          }) as [Record<string, string>, Record<string, string>, Record<string, string>];
          return faultEntries(rules, limits, fired);
        },
        async fire(id) {
          return (
            (await scripts.reelkitFireFault(key.faults, key.faultLimits, key.faultsFired, id)) === 1
          );
        },
      }),
      webhooks: clear('webhooks', {
        async enqueue(input, dueAt) {
          const fixed: StoredDelivery = {
            id: input.id,
            jobId: input.jobId,
            idempotencyKey: input.idempotencyKey,
            event: input.event,
          };
          const added = await scripts.reelkitEnqueue(
            key.deliveries,
            key.due,
            key.order,
            key.sequence,
            key.byJob(input.jobId),
            withDeliveries,
            input.id,
            JSON.stringify(fixed),
            dueAt,
            name,
          );
          return added === 1;
        },
        async claim({ owner, now, leaseMs, leaseNow = now }) {
          const id = (await scripts.reelkitClaim(
            key.deliveries,
            key.due,
            key.leases,
            key.owners,
            withDeliveries,
            now,
            leaseMs,
            owner,
            leaseNow,
            name,
          )) as string | null;
          if (id === null) return undefined;
          const [delivery] = await deliveriesOf([id]);
          if (!delivery) return undefined;
          return { delivery, owner, leaseUntil: leaseNow + leaseMs };
        },
        async release(owner, now) {
          return Number(await scripts.reelkitRelease(key.due, key.leases, key.owners, owner, now));
        },
        async settle(id, owner, outcome) {
          const settled = await scripts.reelkitSettle(
            key.due,
            key.leases,
            key.owners,
            key.deliveryState,
            key.attempts(id),
            id,
            owner,
            JSON.stringify(outcome.attempt),
            outcome.result,
            outcome.result === 'retry' ? outcome.retryAt : '',
          );
          return settled === 1;
        },
        async record(id, attempt, delivered) {
          const recorded = await scripts.reelkitRecord(
            key.deliveries,
            key.due,
            key.leases,
            key.deliveryState,
            key.attempts(id),
            id,
            JSON.stringify(attempt),
            delivered ? 1 : 0,
          );
          return recorded === 1;
        },
        async get(id) {
          const [delivery] = await deliveriesOf([id]);
          return delivery;
        },
        async list() {
          return deliveriesOf(await redis.zrange(key.order, 0, -1));
        },
        async forgetJob(jobId) {
          return Number(
            await scripts.reelkitForgetJob(
              key.deliveries,
              key.deliveryState,
              key.order,
              key.byJob(jobId),
              key.attempts(''),
            ),
          );
        },
      }),
      clock: clear('clock', {
        async init(epoch) {
          const replies = await redis
            .multi()
            .hsetnx(key.clock, 'epoch', epoch)
            .hsetnx(key.clock, 'offset', 0)
            .hmget(key.clock, 'epoch', 'offset')
            .exec();
          const [storedEpoch, offset] = replies?.[2]?.[1] as [string, string];
          return { epoch: Number(storedEpoch), offsetMs: Number(offset) };
        },
        async read() {
          const [epoch, offset] = await redis.hmget(key.clock, 'epoch', 'offset');
          if (epoch === null) return undefined;
          return { epoch: Number(epoch), offsetMs: Number(offset ?? 0) };
        },
        async advance(ms): Promise<ClockReading> {
          if (!(Number.isSafeInteger(ms) && ms >= 0)) {
            throw new RangeError(`[reelkit] advance needs a whole number of ms ≥ 0, not ${ms}.`);
          }
          const reading = (await scripts.reelkitAdvance(key.clock, ms)) as [string, number] | null;
          if (reading === null) {
            throw new RangeError('[reelkit] the clock has no epoch yet: init it first.');
          }
          return { epoch: Number(reading[0]), offsetMs: Number(reading[1]) };
        },
      }),
      ...clear<Pick<NamespaceState, 'snapshot' | 'writeSettings' | 'reset'>>('namespace', {
        async snapshot(): Promise<NamespaceSnapshot> {
          const reply = (await scripts.reelkitSnapshot(
            registry,
            generations,
            key.clock,
            key.settings,
            key.faults,
            key.faultLimits,
            key.faultsFired,
            name,
            maxNamespaces,
          )) as [number, string, string, string, string, string[], string[], string[]];
          const [admitted, generation, epoch, offset, settings, rules, limits, fired] = reply;
          if (admitted !== 1) {
            return {
              admitted: false,
              generation: 0,
              clock: undefined,
              settings: undefined,
              faults: [],
            };
          }
          return {
            admitted: true,
            generation: Number(generation),
            clock: epoch === '' ? undefined : { epoch: Number(epoch), offsetMs: Number(offset) },
            settings: settings === '' ? undefined : (JSON.parse(settings) as JsonValue),
            faults: faultEntries(pairs(rules), pairs(limits), pairs(fired)),
          };
        },
        async writeSettings(settings) {
          await redis.set(key.settings, JSON.stringify(settings));
        },
        reset: () => resetNamespace(name),
      }),
    };
  }

  /** Deletes every key of the namespace, a SCAN batch at a time. */
  async function resetNamespace(name: string): Promise<void> {
    // Namespaces hold no glob characters (checkNamespace), and braces are literal in a pattern.
    const match = `${prefixOf(checkNamespace(name))}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', BATCH);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    // Replicas drop what they cached of the namespace when they see its generation move.
    await redis
      .multi()
      .hincrby(generations, name, 1)
      .srem(registry, name)
      .srem(withDeliveries, name)
      .exec();
  }

  return {
    kind: 'redis',
    namespace,
    ...clear<
      Pick<StateStore, 'reset' | 'namespaces' | 'namespacesWithDeliveries' | 'sharedSecret'>
    >('store', {
      reset: resetNamespace,
      namespaces: () => redis.smembers(registry),
      namespacesWithDeliveries: () => redis.smembers(withDeliveries),
      async sharedSecret() {
        await redis.set(`${root}:secret`, randomBytes(32).toString('hex'), 'NX');
        return (await redis.get(`${root}:secret`)) ?? '';
      },
    }),
    async close() {
      if (!owned) return;
      if (redis.status === 'ready') await redis.quit();
      else redis.disconnect();
    },
  };
}
