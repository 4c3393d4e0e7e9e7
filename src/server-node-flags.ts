/**
 * The Node flags the panel's server runs with, wherever it starts: `npm start` (package.json's
 * `start`), `inspiria serve` (the CLI's first line, which every command shares) and the
 * benchmarks' panel (bench/support/child-server.ts). test/cli-start.test.ts checks that the
 * first two spell them as here. Set from inside the process they would come too late: V8 sizes
 * its heap when the process begins.
 *
 * `--max-semi-space-size=8`: V8 lets each half of the young generation grow to 16 MB, and it does
 * within seconds of start, so 32 MB of an idle node's resident memory was its nursery. At 8 MB a
 * half, 16 MB less. Not smaller: at 4 MB the objects of the requests in flight (fifty 100-order
 * `status` batches) outlive the more frequent scavenges and are promoted, and the old generation
 * grows by more than the nursery saved (npm run bench, growth section; issue 12).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
