/**
 * The one graph diff: two recorded resource graphs (`mocks.ts`) compared resource by resource, as
 * the operations a preview would show. Whether an update is a replacement is estimated from the
 * inputs each resource type is known to replace on (the providers decide at `pulumi up`); this
 * needs no engine and no state. `npm run diff` reports `compareGraphs`; the tests assert on its
 * keys (`graphDiff`).
 */
import { compare } from "../../components/model/resolve";
import type { Recorded } from "./mocks";

export type Operation = "create" | "update" | "replace" | "delete";

export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    readonly operation: Operation;
    /** Top-level inputs that differ (updates and replacements), sorted; values are never reported. */
    readonly inputs: readonly string[];
}

/** Inputs that force a replacement, by resource type; `"*"` with exceptions: all but those. */
const REPLACED_ON: Readonly<Record<string, { readonly on?: readonly string[]; readonly allBut?: readonly string[] }>> = {
    // Docker containers are recreated for almost any change.
    "docker:index/container:Container": {
        allBut: [
            "restart",
            "memory",
            "memorySwap",
            "cpuShares",
            "cpuSet",
            "mustRun",
            "start",
            "wait",
            "waitTimeout",
            "destroyGraceSeconds",
            "removeVolumes",
            "logs",
            "attach",
            "rm",
        ],
    },
    "docker:index/volume:Volume": { allBut: [] },
    "docker:index/network:Network": { allBut: [] },
    "docker:index/remoteImage:RemoteImage": { on: ["name", "platform"] },
    "kafka:index/topic:Topic": { on: ["name"] },
    // pulumi-kubernetes treats ConfigMaps and Secrets as immutable, and a Job's template cannot change.
    "kubernetes:core/v1:ConfigMap": { on: ["data", "binaryData"] },
    "kubernetes:core/v1:Secret": { on: ["data", "stringData", "type"] },
    "kubernetes:batch/v1:Job": { on: ["spec"] },
    "kubernetes:apps/v1:StatefulSet": { on: ["spec.selector", "spec.serviceName", "spec.volumeClaimTemplates", "spec.podManagementPolicy"] },
    "kubernetes:apps/v1:Deployment": { on: ["spec.selector"] },
    "kubernetes:core/v1:Service": { on: ["spec.clusterIP"] },
};

function at(inputs: Record<string, unknown>, dotted: string): unknown {
    return dotted.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), inputs);
}

const json = (v: unknown) => JSON.stringify(v);

/**
 * Inputs that never make an update: a dynamic resource's serialized code (`__provider`) changes with
 * any edit of its module, but kafka-env's dynamic providers diff their inputs without it
 * (components/dynamic), so the engine reports no change for it.
 */
const ignored = (type: string, input: string) => type.startsWith("pulumi-nodejs:dynamic/") && input === "__provider";

function operation(before: Recorded, after: Recorded, changed: readonly string[]): Operation {
    const rule = REPLACED_ON[after.type];
    const k8sName =
        after.type.startsWith("kubernetes:") && ["metadata.name", "metadata.namespace"].some((p) => json(at(before.inputs, p)) !== json(at(after.inputs, p)));
    if (k8sName) return "replace";
    if (after.type === "kafka:index/topic:Topic" && Number(after.inputs.partitions) < Number(before.inputs.partitions)) return "replace";
    if (rule?.allBut && changed.some((k) => !rule.allBut!.includes(k))) return "replace";
    if (rule?.on?.some((p) => json(at(before.inputs, p)) !== json(at(after.inputs, p)))) return "replace";
    return "update";
}

/** What `pulumi up` would do to go from the base graph to the head graph, sorted by type and name. */
export function compareGraphs(before: readonly Recorded[], after: readonly Recorded[]): ResourceChange[] {
    const key = (r: Recorded) => `${r.type}::${r.name}`;
    const old = new Map(before.map((r) => [key(r), r]));
    const now = new Map(after.map((r) => [key(r), r]));
    const changes: ResourceChange[] = [];
    for (const [k, r] of now) {
        const b = old.get(k);
        if (!b) {
            changes.push({ type: r.type, name: r.name, operation: "create", inputs: [] });
            continue;
        }
        const names = [...new Set([...Object.keys(b.inputs), ...Object.keys(r.inputs)])];
        const changed = names.filter((n) => !ignored(r.type, n) && json(b.inputs[n]) !== json(r.inputs[n])).sort(compare);
        const provider = b.provider !== r.provider ? ["(provider)"] : [];
        if (changed.length + provider.length > 0)
            changes.push({ type: r.type, name: r.name, operation: operation(b, r, changed), inputs: [...changed, ...provider] });
    }
    for (const [k, r] of old) if (!now.has(k)) changes.push({ type: r.type, name: r.name, operation: "delete", inputs: [] });
    return changes.sort((a, b) => compare(a.type, b.type) || compare(a.name, b.name));
}

/** The same diff as `type::name` keys: created, deleted, and updated or replaced; each sorted. */
export function graphDiff(before: readonly Recorded[], after: readonly Recorded[]) {
    const changes = compareGraphs(before, after);
    const keys = (ops: readonly Operation[]) =>
        changes
            .filter((c) => ops.includes(c.operation))
            .map((c) => `${c.type}::${c.name}`)
            .sort();
    return { added: keys(["create"]), removed: keys(["delete"]), changed: keys(["update", "replace"]) };
}
