/**
 * Runs the Pulumi program under `pulumi.runtime.setMocks` and records every resource it
 * registers, with its inputs, so tests can assert on the resource graph without an engine.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

export interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly provider?: string;
    /** Resource options as the engine receives them. */
    readonly options?: RecordedOptions;
}

export interface RecordedOptions {
    /** URNs this resource explicitly depends on. */
    readonly dependsOn: string[];
    readonly protect: boolean;
    readonly deleteBeforeReplace: boolean;
}

/** The resolved value of an output, for assertions (outputs of a mocked run always resolve). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** The `config:` block of a stack file, as `setAllConfig` takes it (objects as JSON). */
export function stackConfig(stack: string): Record<string, string> {
    const file = path.join(__dirname, "..", `Pulumi.${stack}.yaml`);
    const doc = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Mocked IDs and outputs that look like what the providers return. */
const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, provider: args.provider });
        const extra: Record<string, unknown> = {};
        if (args.type === "docker:index/remoteImage:RemoteImage") extra.imageId = `sha256:${args.inputs.name}`;
        // The API server bumps a workload's generation when its spec changes (a Job is new each time):
        // derived from the spec here, so a changed spec shows as a changed generation, as for real.
        if (["kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job"].includes(args.type)) {
            const digest = createHash("sha256")
                .update(JSON.stringify(args.inputs.spec ?? {}))
                .digest("hex");
            extra.metadata = { ...args.inputs.metadata, generation: parseInt(digest.slice(0, 8), 16), uid: digest.slice(0, 32) };
        }
        // A LoadBalancer Service gets an address (documentation range, never contacted).
        if (args.type === "kubernetes:core/v1:Service" && args.inputs.spec?.type === "LoadBalancer") {
            extra.status = { loadBalancer: { ingress: [{ ip: `192.0.2.${10 + loadBalancers++}` }] } };
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, ...extra } };
    },
    call(args) {
        return args.inputs as Record<string, unknown>;
    },
};

let recorded: Recorded[] = [];
let loadBalancers = 0;

/**
 * Runs `program` with the given config and returns what it registered, once registration has
 * settled. Each call starts from a clean record.
 */
export async function runMocked<T>(
    config: Record<string, string>,
    program: () => T,
    options: { stack?: string; secretKeys?: string[] } = {},
): Promise<{ result: T; resources: Recorded[] }> {
    recorded = [];
    loadBalancers = 0;
    await pulumi.runtime.setMocks(mocks, "kafka-env", options.stack ?? "dev", false);
    recordOptions();
    pulumi.runtime.setAllConfig(config, options.secretKeys);
    // A registration that fails (a dynamic provider the closure serializer refuses) only rejects a
    // promise nobody awaits: the resources after it would silently be missing from the graph.
    const failures: unknown[] = [];
    const onFailure = (e: unknown) => failures.push(e);
    process.on("unhandledRejection", onFailure);
    let result: T;
    try {
        result = program();
        await settle();
    } finally {
        process.off("unhandledRejection", onFailure);
    }
    if (failures.length > 0) throw failures[0];
    const resources = recorded.map((r) => ({ ...r, options: optionsByResource.get(`${r.type}::${r.name}`) }));
    return { result, resources };
}

/** Options by `type::name`, captured from the register requests the mock monitor receives. */
const optionsByResource = new Map<string, RecordedOptions>();

/**
 * Mocks see a resource's inputs but not its options (protect, dependsOn). Wrap the mock monitor's
 * `registerResource` to read them off the request, exactly as the engine would receive them.
 */
function recordOptions() {
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor) as (req: RegisterRequest, cb: unknown) => unknown;
    monitor.registerResource = (req: RegisterRequest, callback: unknown) => {
        optionsByResource.set(`${req.getType()}::${req.getName()}`, {
            dependsOn: req.getDependenciesList(),
            protect: req.getProtect() ?? false,
            deleteBeforeReplace: req.getDeletebeforereplace(),
        });
        return register(req, callback);
    };
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    getDeletebeforereplace(): boolean;
}

/** Waits until no new resource has been registered for a few turns of the event loop. */
async function settle(): Promise<void> {
    let stableRounds = 0;
    let last = -1;
    while (stableRounds < 5) {
        await new Promise((r) => setTimeout(r, 5));
        stableRounds = recorded.length === last ? stableRounds + 1 : 0;
        last = recorded.length;
    }
}

/** The recorded resources of one type, by name. */
export function byType(resources: readonly Recorded[], type: string): Map<string, Recorded> {
    return new Map(resources.filter((r) => r.type === type).map((r) => [r.name, r]));
}

export const TYPES = {
    container: "docker:index/container:Container",
    volume: "docker:index/volume:Volume",
    network: "docker:index/network:Network",
    image: "docker:index/remoteImage:RemoteImage",
    kafkaProvider: "pulumi:providers:kafka",
    rollGate: "pulumi-nodejs:dynamic/kafka-env:RollGate",
    brokerSet: "pulumi-nodejs:dynamic/kafka-env:BrokerSet",
    topic: "kafka:index/topic:Topic",
    k8sProvider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    configMap: "kubernetes:core/v1:ConfigMap",
    service: "kubernetes:core/v1:Service",
    secret: "kubernetes:core/v1:Secret",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    deployment: "kubernetes:apps/v1:Deployment",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    job: "kubernetes:batch/v1:Job",
    ready: "pulumi-nodejs:dynamic/kafka-env:WorkloadReady",
    reachable: "pulumi-nodejs:dynamic/kafka-env:BootstrapReachable",
} as const;

/** `["A=1","B=2"]` -> `{A: "1", B: "2"}`. */
export function envMap(envs: string[]): Record<string, string> {
    return Object.fromEntries(envs.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

/** A stack's config with `kafka-env:cluster` (an object) changed by `edit`. */
export function withCluster(config: Record<string, string>, edit: (cluster: any) => void, key = "kafka-env:cluster"): Record<string, string> {
    const cluster = JSON.parse(config[key] ?? "{}");
    edit(cluster);
    return { ...config, [key]: JSON.stringify(cluster) };
}

/** What changed between two graphs, by resource type and name: the set a preview would show. */
export function graphDiff(before: readonly Recorded[], after: readonly Recorded[]) {
    const key = (r: Recorded) => `${r.type}::${r.name}`;
    const a = new Map(before.map((r) => [key(r), r]));
    const b = new Map(after.map((r) => [key(r), r]));
    const same = (x: Recorded, y: Recorded) => JSON.stringify(x.inputs) === JSON.stringify(y.inputs) && x.provider === y.provider;
    return {
        added: [...b.keys()].filter((k) => !a.has(k)).sort(),
        removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
        changed: [...b.keys()].filter((k) => a.has(k) && !same(a.get(k)!, b.get(k)!)).sort(),
    };
}

/** Runs the whole program under mocks for a stack's config; returns the graph and resolved outputs. */
export async function runProgram(config: Record<string, string>, stack: string) {
    const { deployEnvironment } = await import("../components/environment");
    const { result, resources } = await runMocked(config, deployEnvironment, { stack });
    const outputs = {
        bootstrapServers: await promiseOf(result.bootstrapServers),
        internalBootstrapServers: await promiseOf(result.internalBootstrapServers),
        kafkaUiUrl: await promiseOf(result.kafkaUiUrl),
        zookeeperConnect: await promiseOf(result.zookeeperConnect),
    };
    return { result, resources, outputs };
}
