/**
 * Requests, limits and heaps: Kubernetes quantities read as numbers, the check that a request is
 * not above its limit, and the check that each JVM's heap leaves room under its memory limit.
 */
import { Problem, ResolvedConfig, show } from "../model";
import { DEFAULTS } from "../model/defaults";
import { heapSizes } from "../model/heap";
import { bytes } from "../model/topicSettings";
export type Workload = "kafka" | "controller" | "zookeeper" | "kafkaUi";

export interface Resources {
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
}

/** A Kubernetes quantity: `500m`, `1Gi`, `10`. */
export const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/;

/**
 * Bytes (or cores) of a quantity, `1Gi` -> 1073741824, `500m` -> 0.5; undefined when it is not one,
 * or is a memory size in thousandths of a byte (reported on its own).
 */
export function quantity(q: string | undefined, name: string): number | undefined {
    if (q === undefined || !QUANTITY.test(q) || (name === "memory" && q.endsWith("m"))) return undefined;
    const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q)!;
    return Number(m[1]) * QUANTITY_UNITS[m[2]];
}

const QUANTITY_UNITS: Readonly<Record<string, number>> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
};

/** Kubernetes refuses a container whose request is above its limit; a limit set alone keeps the default request. */
export function requestsWithinLimits(w: string, res: Resources): Problem[] {
    const problems: Problem[] = [];
    for (const [name, request] of Object.entries(res.requests)) {
        const limit = res.limits[name];
        const [r, l] = [quantity(request, name), quantity(limit, name)];
        if (r === undefined || l === undefined || r <= l) continue;
        problems.push({
            path: `kubernetes.resources.${w}.requests.${name}`,
            message: `is ${show(request)}, above the limit ${show(limit)} (kubernetes.resources.${w}.limits.${name}), which Kubernetes refuses; set the request to ${show(limit)} or less`,
        });
    }
    return problems;
}

/**
 * The share of a container's memory limit a JVM's heap may take. The rest is the JVM's own memory
 * (metaspace, code cache, thread stacks, direct buffers for the network and the log): a heap that
 * leaves less gets the container killed for memory (OOMKilled) under load.
 */
export const HEAP_SHARE_OF_LIMIT = 0.75;

const MIB = 2 ** 20;

/** Each JVM's heap (`-Xmx`) must leave room under its workload's memory limit. */
export function checkHeapRoom(c: ResolvedConfig, resources: Readonly<Record<Workload, Resources>>): Problem[] {
    const jvms: [Workload, string, string][] = [["kafka", "the brokers'", c.heapOpts]];
    if (c.kraft?.dedicatedControllers) jvms.push(["controller", "the controllers'", c.heapOpts]);
    if (c.zookeeper) jvms.push(["zookeeper", "ZooKeeper's", DEFAULTS.zookeeperHeapOpts]);
    const problems: Problem[] = [];
    for (const [w, whose, opts] of jvms) {
        const heap = heapSizes(opts).max;
        const limit = resources[w].limits.memory;
        const bytesOfLimit = quantity(limit, "memory");
        if (heap === undefined || bytesOfLimit === undefined || heap <= bytesOfLimit * HEAP_SHARE_OF_LIMIT) continue;
        const room = Math.floor((bytesOfLimit * HEAP_SHARE_OF_LIMIT) / MIB);
        const needed = Math.ceil(heap / HEAP_SHARE_OF_LIMIT / MIB);
        const flag = opts
            .split(/\s+/)
            .filter((t) => t.startsWith("-Xmx"))
            .pop();
        const source = w === "zookeeper" ? `${flag}, set by kafka-env` : `${flag} in cluster.heapOpts`;
        const fix = w === "zookeeper" ? `raise the limit to at least "${needed}Mi"` : `raise the limit to at least "${needed}Mi" or lower -Xmx to ${room}m`;
        problems.push({
            path: `kubernetes.resources.${w}.limits.memory`,
            message: `is ${show(limit)} but ${whose} heap is ${bytes(String(heap))} (${source}): a heap may take at most ${HEAP_SHARE_OF_LIMIT * 100}% of the memory limit (${room} MiB here), the rest is the JVM's own memory; ${fix}`,
        });
    }
    return problems;
}
