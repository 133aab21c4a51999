/**
 * The shape of `kafka-env:cluster`: which keys exist and what type each holds.
 *
 * `checkShape` walks the raw config against `CLUSTER_SHAPE`, reports unknown keys (with the key the
 * user most likely meant) and wrong types, and returns the config with the offending keys removed,
 * so the semantic checks can still run on the rest and every problem is reported in one pass.
 */
import { Problem, show } from "./problems";
import { SECURITY_SHAPE, USERS_SHAPE } from "./securityShape";

export type Shape =
    | { readonly kind: "string"; readonly oneOf?: readonly string[] }
    | { readonly kind: "integer"; readonly min?: number; readonly max?: number }
    | { readonly kind: "boolean" }
    | { readonly kind: "stringMap" }
    | { readonly kind: "object"; readonly fields: Readonly<Record<string, Shape>>; readonly required?: readonly string[] }
    | { readonly kind: "list"; readonly of: Shape };

const str = (oneOf?: readonly string[]): Shape => ({ kind: "string", oneOf });
const int = (min?: number, max?: number): Shape => ({ kind: "integer", min, max });
const bool: Shape = { kind: "boolean" };
const stringMap: Shape = { kind: "stringMap" };
const port = int(1, 65535);
const obj = (fields: Record<string, Shape>, required?: readonly string[]): Shape => ({ kind: "object", fields, required });

/** Mirrors `ClusterConfig` in `config.ts`; a test keeps the two in step. */
export const CLUSTER_SHAPE: Shape = obj({
    name: str(),
    mode: str(["zookeeper", "kraft"]),
    brokers: int(),
    replication: obj({
        defaultReplicationFactor: int(),
        minInsyncReplicas: int(),
        numPartitions: int(),
        offsetsTopicReplicationFactor: int(),
        transactionStateLogReplicationFactor: int(),
        transactionStateLogMinIsr: int(),
    }),
    zookeeper: obj({ nodes: int(), clientPort: port, hostPort: port }),
    kraft: obj({ controllers: int(), dedicatedControllers: bool, clusterId: str() }),
    listeners: obj({
        internalPort: port,
        controllerPort: port,
        externalPort: port,
        advertisedHost: str(),
        bindAddress: str(),
        replicationPort: port,
    }),
    images: obj({ kafka: str(), zookeeper: str(), kafkaUi: str() }),
    heapOpts: str(),
    brokerConfig: stringMap,
    topics: {
        kind: "list",
        of: obj({ name: str(), partitions: int(), replicationFactor: int(), config: stringMap, protect: bool }, ["name", "partitions"]),
    },
    protectTopics: bool,
    rebalanceOnScaleOut: bool,
    kafkaUi: obj({ enabled: bool, port, readOnly: bool, clusterName: str(), username: str() }),
    security: SECURITY_SHAPE,
    users: USERS_SHAPE,
    metrics: obj({ enabled: bool, port, agentJar: str(), hostPort: port }),
});

/** Checks `value` against `shape`; returns the problems and a copy without the keys that failed. */
export function checkShape(value: unknown, shape: Shape, path: string): { value: unknown; problems: Problem[] } {
    const problems: Problem[] = [];
    const cleaned = walk(value, shape, path, problems, shape);
    return { value: cleaned, problems };
}

function walk(value: unknown, shape: Shape, path: string, problems: Problem[], root: Shape): unknown {
    const fail = (expected: string): undefined => {
        problems.push({ path, message: `is ${show(value)} but must be ${expected}` });
        return undefined;
    };
    switch (shape.kind) {
        case "string":
            if (typeof value !== "string") return fail("a string");
            if (shape.oneOf && !shape.oneOf.includes(value)) return fail(`one of ${shape.oneOf.map(show).join(", ")}`);
            return value;
        case "integer":
            if (typeof value !== "number" || !Number.isInteger(value)) return fail("a whole number");
            if (shape.min !== undefined && value < shape.min) return fail(`at least ${shape.min}`);
            if (shape.max !== undefined && value > shape.max) return fail(`at most ${shape.max}`);
            return value;
        case "boolean":
            return typeof value === "boolean" ? value : fail("true or false");
        case "stringMap": {
            if (!isPlainObject(value)) return fail("a map of strings");
            const out: Record<string, string> = {};
            for (const [k, v] of Object.entries(value)) {
                if (typeof v === "string") out[k] = v;
                else problems.push({ path: `${path}.${k}`, message: `is ${show(v)} but values must be strings; write "${String(v)}" in quotes` });
            }
            return out;
        }
        case "list": {
            if (!Array.isArray(value)) return fail("a list");
            return value.map((item, i) => walk(item, shape.of, `${path}[${i}]`, problems, root)).filter((v) => v !== undefined);
        }
        case "object": {
            if (!isPlainObject(value)) return fail("an object");
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) {
                const field = shape.fields[k];
                if (!field) {
                    problems.push({ path: `${path}.${k}`, message: unknownKeyMessage(k, shape, path, root) });
                    continue;
                }
                if (v === undefined || v === null) continue;
                const checked = walk(v, field, `${path}.${k}`, problems, root);
                if (checked !== undefined) out[k] = checked;
            }
            // An item missing a required key is dropped whole, so later checks never see half of it.
            const missing = (shape.required ?? []).filter((k) => value[k] === undefined || value[k] === null);
            for (const k of missing) problems.push({ path: `${path}.${k}`, message: "is required" });
            const broken = (shape.required ?? []).some((k) => out[k] === undefined);
            return broken ? undefined : out;
        }
    }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unknownKeyMessage(key: string, shape: Shape & { kind: "object" }, path: string, root: Shape): string {
    const known = Object.keys(shape.fields).sort();
    const sibling = closest(key, known);
    if (sibling) return `unknown key; did you mean "${sibling}"?`;
    // Not a typo of a neighbour: maybe the right key in the wrong place.
    const elsewhere = leafPaths(root, "cluster").filter((p) => p.slice(0, p.lastIndexOf(".")) !== path.replace(/\[\d+\]/g, "[]"));
    const moved = closest(key, elsewhere.map(lastSegment));
    const movedPath = moved ? elsewhere.find((p) => lastSegment(p) === moved) : undefined;
    if (movedPath) return `unknown key here; did you mean ${movedPath}?`;
    return `unknown key; known keys here are ${known.join(", ")}`;
}

function lastSegment(path: string): string {
    return path.slice(path.lastIndexOf(".") + 1);
}

function leafPaths(shape: Shape, path: string): string[] {
    if (shape.kind === "object") {
        return Object.entries(shape.fields).flatMap(([k, s]) => [`${path}.${k}`, ...leafPaths(s, `${path}.${k}`)]);
    }
    if (shape.kind === "list") return leafPaths(shape.of, `${path}[]`);
    return [];
}

/** The candidate nearest to `key` by edit distance, if near enough to be a typo. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    const k = key.toLowerCase();
    for (const candidate of candidates) {
        const c = candidate.toLowerCase();
        // A key may also be the tail of the right one (`replicationFactr` for `defaultReplicationFactor`).
        const tails = [-1, 0, 1].map((extra) => editDistance(k, c.slice(-(k.length + extra))) + 1);
        const d = Math.min(editDistance(k, c), ...tails);
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    const allowed = Math.max(2, Math.floor(key.length / 3));
    return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance, one row at a time. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
        }
        previous = current;
    }
    return previous[b.length];
}
