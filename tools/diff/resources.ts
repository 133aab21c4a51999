/**
 * The resource changes of one stack: each side's own program, run offline under the runtime's mocks
 * (the harness the resource-graph tests use), and the two recorded graphs compared resource by
 * resource. Whether an update is a replacement is estimated from the inputs each resource type is
 * known to replace on (the providers decide at `pulumi up`); this needs no engine and no state.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { compare } from "../../components/model/resolve";
import type { Recorded } from "../../tests/harness";
import { StackFile } from "./stack";

export type Operation = "create" | "update" | "replace" | "delete";

export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    readonly operation: Operation;
    /** Top-level inputs that differ (updates and replacements), sorted; values are never reported. */
    readonly inputs: readonly string[];
}

/** The recorded graph of a side, or why it could not be evaluated. */
export type Graph = { readonly resources: readonly Recorded[] } | { readonly error: string };

/** Runs `dir`'s program for one stack file under mocks. */
export async function evaluateGraph(dir: string, file: StackFile): Promise<Graph> {
    const program = path.join(dir, "components", "environment.ts");
    if (!fs.existsSync(program)) return { error: "this revision has no components/environment.ts" };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { deployEnvironment } = require(program) as { deployEnvironment: () => unknown };
        // Loaded here, so that a run that fails early never loads the Pulumi runtime.
        const { runMocked } = await import("../../tests/harness");
        const { resources } = await runMocked({ ...file.config }, deployEnvironment, { stack: file.stack, secretKeys: [...file.secretKeys] });
        return { resources };
    } catch (e) {
        return { error: (e as Error).message.split("\n")[0] };
    }
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
        const changed = names.filter((n) => json(b.inputs[n]) !== json(r.inputs[n])).sort(compare);
        const provider = b.provider !== r.provider ? ["(provider)"] : [];
        if (changed.length + provider.length > 0)
            changes.push({ type: r.type, name: r.name, operation: operation(b, r, changed), inputs: [...changed, ...provider] });
    }
    for (const [k, r] of old) if (!now.has(k)) changes.push({ type: r.type, name: r.name, operation: "delete", inputs: [] });
    return changes.sort((a, b) => compare(a.type, b.type) || compare(a.name, b.name));
}
