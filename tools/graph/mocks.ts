/**
 * The mocks runner: runs the Pulumi program under `pulumi.runtime.setMocks` and records every
 * resource it registers, with its inputs and options, so the resource graph can be read without an
 * engine. Used by the resource-graph tests, `npm run diff` (each side's program), the benchmark
 * (`bench/evaluate.ts`) and the manual Kubernetes checks (`e2e/k8s/manual.ts`).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

export interface Recorded {
    readonly type: string;
    readonly name: string;
    /** Untyped by nature: the tests read nested inputs (`inputs.spec.template...`) as they were registered. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
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
    const file = path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`);
    const doc = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Mocked IDs and outputs that look like what the providers return. */
const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const inputs = args.inputs as { name?: string; spec?: { type?: string }; metadata?: object };
        recorded.push({ type: args.type, name: args.name, inputs, provider: args.provider });
        const extra: Record<string, unknown> = {};
        if (args.type === "docker:index/remoteImage:RemoteImage") extra.imageId = `sha256:${inputs.name}`;
        // The API server bumps a workload's generation when its spec changes (a Job is new each time):
        // derived from the spec here, so a changed spec shows as a changed generation, as for real.
        if (["kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job"].includes(args.type)) {
            const digest = createHash("sha256")
                .update(JSON.stringify(inputs.spec ?? {}))
                .digest("hex");
            extra.metadata = { ...inputs.metadata, generation: parseInt(digest.slice(0, 8), 16), uid: digest.slice(0, 32) };
        }
        // A LoadBalancer Service gets an address (documentation range, never contacted).
        if (args.type === "kubernetes:core/v1:Service" && inputs.spec?.type === "LoadBalancer") {
            extra.status = { loadBalancer: { ingress: [{ ip: `192.0.2.${10 + loadBalancers++}` }] } };
        }
        Object.assign(extra, secretOutputs(args.type, args.inputs as Record<string, unknown>));
        return { id: `${args.name}-id`, state: { ...inputs, ...extra } };
    },
    call(args) {
        return args.inputs as Record<string, unknown>;
    },
};

/**
 * What kafka-env's secret resources (components/security) would return, made up: never a real key
 * or password, and the same on every run, so graphs compare without noise. A given password is used
 * as given, as the provider would.
 */
function secretOutputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (type === "pulumi-nodejs:dynamic/kafka-env:Credentials") {
        const users = (inputs.users ?? []) as string[];
        const given = (unwrapSecret(inputs.given) ?? {}) as Record<string, string>;
        return {
            passwords: Object.fromEntries(users.map((u) => [u, given[u] ?? `mock-password-of-${u}`])),
            versions: Object.fromEntries(users.map((u) => [u, "mock"])),
        };
    }
    if (type === "pulumi-nodejs:dynamic/kafka-env:ClusterCertificates") {
        const holders = [...Object.keys(inputs.nodes ?? {}), "tools"];
        return {
            caCertificate: "mock CA certificate",
            keystores: Object.fromEntries(holders.map((h) => [h, `mock keystore of ${h}`])),
            notAfter: "2099-01-01T00:00:00.000Z",
            generation: 1,
        };
    }
    return {};
}

/** A secret input reaches the mocks wrapped (`{ <sig key>: <secret sig>, value }`): its value. */
function unwrapSecret(value: unknown): unknown {
    const wrapped = value !== null && typeof value === "object" && pulumi.runtime.specialSigKey in value;
    return wrapped ? (value as unknown as { value: unknown }).value : value;
}

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
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: RegisterRequest, cb: unknown) => unknown };
    const register = monitor.registerResource.bind(monitor);
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

/** A stack's config with `kafka-env:cluster` (an object) changed by `edit`, which may reach any key of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withCluster(config: Record<string, string>, edit: (cluster: any) => void, key = "kafka-env:cluster"): Record<string, string> {
    const cluster = JSON.parse(config[key] ?? "{}") as object;
    edit(cluster);
    return { ...config, [key]: JSON.stringify(cluster) };
}

/** Runs the whole program under mocks for a stack's config; returns the graph and resolved outputs. */
export async function runProgram(config: Record<string, string>, stack: string) {
    const { deployEnvironment } = await import("../../components/stackConfig");
    const { result, resources } = await runMocked(config, deployEnvironment, { stack });
    const outputs = {
        bootstrapServers: await promiseOf(result.bootstrapServers),
        internalBootstrapServers: await promiseOf(result.internalBootstrapServers),
        kafkaUiUrl: await promiseOf(result.kafkaUiUrl),
        zookeeperConnect: await promiseOf(result.zookeeperConnect),
    };
    return { result, resources, outputs };
}
