/**
 * The Node flags the panel's server runs with, wherever it starts: `npm start` (package.json's
 * `start`), `inspiria serve` (the CLI's first line, which every command shares) and the
 * benchmarks' panel (bench/support/child-server.ts). test/cli-start.test.ts checks that the
 * first two spell them as here. Set from inside the process they would come too late: V8 sizes
 * its heap when the process begins. Measured for issue 12 (the API node under 150 MB over a
 * million orders) with the bench's child server and load, CPU time per request read from /proc:
 *
 * `--max-semi-space-size=8`: V8 lets each half of the young generation grow to 16 MB, and it
 * does within seconds of start, so 32 MB of a node's resident memory was its nursery; at 8 MB a
 * half, 16 MB less. Not smaller: at 4 MB the objects of the requests in flight (fifty 100-order
 * `status` batches) outlive the more frequent scavenges, are promoted, and the old generation
 * grows by more than the nursery saved.
 *
 * `--heap-growing-percent=30`: the next major GC when the old generation reaches 1.3 times what
 * the last one left alive, instead of V8's up to 4 times. Promoted request garbage is collected
 * within a few MB rather than tens: RSS after the bench's load 141 MB in three runs of three,
 * against 142 to 182 without it; the old generation here is ~30 MB alive, so a major GC is short.
 *
 * CPU per request, medians of three alternated runs (none / first flag / both): balance 97 / 93
 * / 106 µs, status ×100 322 / 303 / 290 µs, add 288 / 305 / 295 µs: no difference beyond noise.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--heap-growing-percent=30'];
