/**
 * Child process of test/upstream-reply-cap.test.ts (run with --expose-gc): calls the URL in
 * argv[2] once with the engine's client and prints, as JSON, its memory before, at the peak and
 * after, how long the call took and how it failed. The test runner's own memory stays out of it.
 */
import { providerNetwork } from '../../src/upstream/provider-address.js';
import { callUpstream } from '../../src/upstream/upstream-client.js';

const [, , url = '', warmUpUrl = ''] = process.argv;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const endpoint = (target: string) => ({
  url: target,
  apiKey: 'reply-cap-key-1234',
  timeoutMs: 60_000,
  network: providerNetwork(true),
});

// The first call loads node:http and friends; measure from the second.
await callUpstream(endpoint(warmUpUrl), { action: 'balance' });
gc();
const beforeBytes = process.memoryUsage().rss;
let peakBytes = beforeBytes;
const sampler = setInterval(() => {
  peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
}, 2);
const startedMs = performance.now();
const reply = await callUpstream(endpoint(url), { action: 'balance' });
const elapsedMs = performance.now() - startedMs;
clearInterval(sampler);
peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
gc();
await new Promise((resolve) => setTimeout(resolve, 50));
gc();
const afterBytes = process.memoryUsage().rss;
process.stdout.write(
  JSON.stringify({ beforeBytes, peakBytes, afterBytes, elapsedMs, failure: reply.ok ? null : reply.failure }),
);
