import { createMockEngine, mockProviders, createManualClock } from '../src/index.js';
import { createRedisState } from '../src/state/index.js';
const provider = mockProviders.openrouter;
const H = { authorization: 'Bearer sk-x', 'content-type': 'application/json' };
async function run(label: string, engine: any) {
  const submit = () => engine.handle(new Request('https://openrouter.ai/api/v1/videos', { method: 'POST', headers: H, body: JSON.stringify({ model: 'google/veo-3.1', prompt: 'a cat' }) }));
  const first = await (await submit()).json();
  const poll = () => engine.handle(new Request(`https://openrouter.ai/api/v1/videos/${first.id}`, { headers: H }));
  for (const [name, op] of [['poll', poll], ['submit', submit]] as const) {
    let n = 0; const end = Date.now() + 2000; const t0 = performance.now(); const cpu0 = process.cpuUsage();
    await Promise.all(Array.from({ length: Number(process.argv[3] ?? 16) }, async () => { while (Date.now() < end) { const r = await op(); await r.arrayBuffer(); n++; } }));
    const cpu = process.cpuUsage(cpu0);
    console.log(label, name, Math.round(n / ((performance.now() - t0) / 1000)), 'ops/s', ((cpu.user + cpu.system) / n).toFixed(1), 'µs CPU/op');
  }
}
const mem = createMockEngine({ provider, clock: createManualClock(), maxJobs: 1_000_000 });
mem.ledger.set('sk-x', 1e9);
await run('memory', mem);
const store = createRedisState({ redis: process.argv[2]!, maxJobs: 1_000_000 });
const red = createMockEngine({ provider, store, storeClock: { mode: 'manual', timeScale: 1 } });
await (await red.namespace()).services.ledger.set('sk-x', 1e9);
await run('redis', red);
await red.close(); await store.close();
