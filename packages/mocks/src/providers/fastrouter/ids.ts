/**
 * The ids and timestamps FastRouter issues: task ids that encode their creation time, OpenAI-style
 * Sora video ids, per-request chat ids and Pollo's generation ids.
 * @module
 */
import { fastrouterSpec } from '@reelkit/spec';
import type { Random } from '../../core/random.js';

const { FASTROUTER_ID_PREFIX } = fastrouterSpec;

const SECOND = 1000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HEX = '0123456789abcdef';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Whole seconds of a millisecond time.
 *
 * @example
 * unixSeconds(1_500); // 1
 */
export const unixSeconds = (ms: number): number => Math.floor(ms / SECOND);

/**
 * A date as the docs show them: whole seconds, `.000Z`.
 *
 * @example
 * isoSeconds(1_500); // '1970-01-01T00:00:01.000Z'
 */
export const isoSeconds = (ms: number): string => new Date(unixSeconds(ms) * SECOND).toISOString();

/**
 * A task id as FastRouter issues them: `fr_` and a ULID, whose first 10 characters encode the
 * creation time (fr_01M1NH55R9NM02M56D57P2F5FY decodes to the minute its task was created).
 *
 * @example
 * taskIdAt(clock.wallTime(clock.now()), random); // 'fr_01…'
 */
export function taskIdAt(ms: number, random: Random): string {
  let time = '';
  for (let rest = ms, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time;
  }
  return `${FASTROUTER_ID_PREFIX}${time}${random.string(16, CROCKFORD)}`;
}

/**
 * A Sora video id: `video_`, the creation time as 8 hex digits, then 40 more (as OpenAI's).
 *
 * @example
 * soraIdAt(clock.wallTime(clock.now()), random); // 'video_68…'
 */
export function soraIdAt(ms: number, random: Random): string {
  return `video_${unixSeconds(ms).toString(16).padStart(8, '0')}${random.string(40, HEX)}`;
}

/**
 * A chat id: `fr_` and a version-4 UUID, new for every request.
 *
 * @example
 * chatId(random); // 'fr_3f2a…-…-4…'
 */
export function chatId(random: Random): string {
  const variant = '89ab'[random.int(0, 3)] as string;
  return `${FASTROUTER_ID_PREFIX}${random.string(8, HEX)}-${random.string(4, HEX)}-4${random.string(3, HEX)}-${variant}${random.string(3, HEX)}-${random.string(12, HEX)}`;
}

/**
 * Pollo's generation id: a cuid (`c`, creation ms in base 36, then random characters).
 *
 * @example
 * generationIdAt(clock.wallTime(clock.now()), random); // 'cm…'
 */
export function generationIdAt(ms: number, random: Random): string {
  return `c${ms.toString(36).padStart(8, '0')}${random.string(16, BASE36)}`;
}
