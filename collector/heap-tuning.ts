/**
 * V8 heap settings for long streaming runs (import, capture, serve), applied when this module
 * is evaluated: the CLI imports it first, before anything allocates much.
 *
 * An import keeps a small, steady live set (the calls of the last few seconds, the batches in
 * flight) while allocating hundreds of MB per second of short-lived parse and row objects. By
 * default V8 lets the old generation grow to up to four times what survived the last full
 * collection when collections are cheap next to the work done between them — so the faster
 * the machine, the more garbage piles up, and peak memory grew with the length of the capture
 * (10,000 calls: 260 MB; 100,000 calls: 450 MB on the 2-core build VM). A fixed 50 % growth
 * keeps the heap within a bounded margin of the live set: 240 and 285 MB, for ~5 % more CPU;
 * 40 % took another ~8 MB off a 50,000-call import (live set ~52 MB) at no CPU cost measurable
 * on that VM (35 % took 12 MB and cost ~1.5 s of GC per 50,000 calls).
 * A value given on the command line wins.
 *
 * The young generation is capped too, by the CLI's interpreter line (`node
 * --max-semi-space-size=4`, cli.ts): V8 sizes it when the isolate starts, so it cannot be set
 * from here. By default it grows to two 16 MB semi-spaces plus promotion room (~32 MB of RSS
 * in an import); 4 MB ones took ~30 MB off the peak of a 10,000-call import (243 -> 212 MB)
 * for no measurable CPU: what survives a scavenge there is correlation state that lives for
 * seconds anyway, and is promoted either way.
 */
import v8 from 'node:v8';

/** After each full collection the old generation may grow by this share of what survived. */
export const HEAP_GROWING_PERCENT = 40;

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
