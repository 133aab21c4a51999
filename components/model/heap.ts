/**
 * `heapOpts` is `KAFKA_HEAP_OPTS`: JVM options, given to every Kafka node's JVM. A value the JVM
 * would not start with (a bare size, a malformed `-Xmx`, `-Xms` above `-Xmx`) is refused here; the
 * heap's size is what the Kubernetes memory limits must leave room above.
 */
import { show } from "./problems";

const HEAP_FLAG = /^-Xm([sx])(\d+)([kKmMgGtT])?$/;
const BARE_SIZE = /^\d+([kKmMgGtT])?[bB]?$/;
const UNIT: Readonly<Record<string, number>> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** The heap flags' sizes in bytes (the JVM takes the last of each), or undefined when unset. */
export interface HeapSizes {
    readonly max?: number;
    readonly initial?: number;
}

/** The sizes `-Xmx`/`-Xms` set in `opts`; flags that are not valid heap flags are left out. */
export function heapSizes(opts: string): HeapSizes {
    let max: number | undefined;
    let initial: number | undefined;
    for (const token of opts.trim().split(/\s+/)) {
        const m = HEAP_FLAG.exec(token);
        if (!m) continue;
        const bytes = Number(m[2]) * (m[3] ? UNIT[m[3].toLowerCase()] : 1);
        if (m[1] === "x") max = bytes;
        else initial = bytes;
    }
    return { max, initial };
}

/** Why the JVM would refuse `opts`, as the message of a problem at `cluster.heapOpts`, or undefined. */
export function heapOptsProblem(opts: string): string | undefined {
    const tokens = opts.trim() === "" ? [] : opts.trim().split(/\s+/);
    if (tokens.length === 0) return `is empty; remove it for the default heap, or give JVM flags such as "-Xms512m -Xmx512m"`;
    const notFlags = tokens.filter((t) => !t.startsWith("-"));
    if (notFlags.length > 0) {
        const size = notFlags.length === 1 && BARE_SIZE.test(notFlags[0]) ? notFlags[0].replace(/[bB]$/, "") : undefined;
        const fix = size ? `for a ${size} heap write "-Xmx${size} -Xms${size}"` : `write JVM flags such as "-Xms512m -Xmx512m"`;
        if (tokens.length === 1) return `is ${show(opts)}, which is not a JVM flag (JVM flags start with "-"); ${fix}`;
        const what = notFlags.map(show).join(", ");
        return `is ${show(opts)}, but ${what} ${notFlags.length === 1 ? "is not a JVM flag" : "are not JVM flags"} (JVM flags start with "-"); ${fix}`;
    }
    const malformed = tokens.find((t) => /^-Xm[sx]/.test(t) && !HEAP_FLAG.test(t));
    if (malformed) {
        return `is ${show(opts)}, but ${show(malformed)} is not a size the JVM reads; write a whole number with k, m or g, such as "${malformed.slice(0, 4)}512m"`;
    }
    const { max, initial } = heapSizes(opts);
    if (max !== undefined && initial !== undefined && initial > max) {
        return `is ${show(opts)}: the initial heap (-Xms) is above the maximum (-Xmx), and the JVM would not start; make -Xms at most -Xmx`;
    }
    return undefined;
}
