/**
 * ImageRouter's held-open answer: HTTP 200 at once, a space at every heartbeat
 * (`IMAGEROUTER_HEARTBEAT_MS`) while the video renders, then the JSON body (`videoService.js`).
 * @module
 */
import { imagerouterSpec } from '@reelkit/spec';
import type { Clock } from '../../core/clock.js';

const { IMAGEROUTER_HEARTBEAT_MS: HEARTBEAT_MS } = imagerouterSpec;

const encoder = new TextEncoder();

/**
 * The held-open body: a space at every heartbeat until `endAt`, then `final`. Waiting goes
 * through the clock only, so a manual clock controls when each byte appears; closing the
 * connection stops the heartbeat, as `res.on('close')` does.
 *
 * @example
 * const stream = heartbeatStream(clock, clock.now(), clock.now() + 9_000, JSON.stringify(body));
 * // three spaces, one each 3 s of clock time, then the body
 */
export function heartbeatStream(
  clock: Clock,
  startAt: number,
  endAt: number,
  final: string,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  const run = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    try {
      for (let beat = startAt + HEARTBEAT_MS; beat <= endAt; beat += HEARTBEAT_MS) {
        await clock.sleep(beat - clock.now(), abort.signal);
        controller.enqueue(encoder.encode(' '));
      }
      if (endAt > clock.now()) await clock.sleep(endAt - clock.now(), abort.signal);
      controller.enqueue(encoder.encode(final));
      controller.close();
    } catch (error) {
      if (!abort.signal.aborted) controller.error(error);
    }
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      void run(controller);
    },
    cancel() {
      abort.abort();
    },
  });
}
