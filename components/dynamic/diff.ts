/**
 * What every kafka-env dynamic resource compares and returns: a diff over its inputs, and outputs
 * the provider host can encode.
 */

/**
 * A dynamic provider's outputs without `undefined` values: the provider host hands them to
 * protobuf's `Struct.fromJavaScript`, which fails the whole operation with "Unexpected struct
 * type" on an `undefined` (a first `BrokerSet` create did, with no reassignment yet).
 */
export function outputs<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** JSON with sorted keys: the engine hands inputs over in no particular key order. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/**
 * The dynamic resources' diff: an update whenever an input changed (an unknown value counts as a
 * change), never a replacement, so a gate is re-run, not deleted, when its container is replaced.
 * The provider's own code (`__provider`) and the outputs it adds (`outputsOnly`) are not inputs:
 * new provider code alone shows no change.
 */
export function inputsDiff(olds: Record<string, unknown>, news: Record<string, unknown>, outputsOnly: readonly string[] = []) {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)].filter((k) => k !== "__provider" && !outputsOnly.includes(k)));
    const changes = [...keys].some((k) => canonical(olds[k]) !== canonical(news[k]));
    return Promise.resolve({ changes, replaces: [] as string[], deleteBeforeReplace: false });
}
