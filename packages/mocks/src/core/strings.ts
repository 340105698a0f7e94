/**
 * Keeping stored strings small. V8 represents `a + b` as a rope that keeps both parts, and a
 * slice (a regex match, `url.origin`) as a view that keeps its whole source string alive: a
 * 13-character API key sliced from a header holds the header, an origin holds the request URL.
 * Values kept for the life of a job are stored flat, and values that repeat across jobs once.
 * @module
 */

/**
 * A flat copy of `text`: no rope, no slice of a longer string.
 *
 * @example
 * job.data.note = flatString(`${a}-${b}`);
 */
export function flatString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * Returns one shared flat copy of equal strings (API keys, origins, model ids): 100,000 jobs of
 * one client then hold one copy instead of 100,000. Bounded: the pool starts over when it holds
 * `limit` strings.
 *
 * @example
 * const intern = createInterner(10_000);
 * intern(apiKey) === intern(sameKeyFromAnotherRequest); // true
 */
export function createInterner(limit: number): (text: string) => string {
  const pool = new Map<string, string>();
  // Traffic mostly repeats the previous value (one client, one key): comparing a short string
  // costs less than hashing it, which a fresh string would need for the map.
  let last = '';
  return (text) => {
    if (text === last) return last;
    let known = pool.get(text);
    if (known === undefined) {
      if (pool.size >= limit) pool.clear();
      known = flatString(text);
      pool.set(known, known);
    }
    last = known;
    return known;
  };
}
