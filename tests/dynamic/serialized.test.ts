/**
 * Every dynamic provider as the engine receives it: the text Pulumi's closure serializer made of
 * it (the `__provider` input), loaded in a fresh module the way the provider host loads it, then
 * asked for a diff, and where it needs no cluster, run. Serializing can succeed and still leave
 * code that fails in the host (a module it cannot find, a value it copied instead of requiring);
 * this finds that without an engine.
 */
import { strict as assert } from "node:assert";
import Module from "node:module";
import * as path from "node:path";
import { Recorded, runProgram, stackConfig } from "../harness";
import { apiVersionsResponse, fakeBroker } from "../kafka/fakeBroker";

const DYNAMIC = "pulumi-nodejs:dynamic/kafka-env:";

interface Provider {
    diff(id: string, olds: object, news: object): Promise<{ changes?: boolean; replaces?: string[] }>;
    create(inputs: object): Promise<{ id: string; outs: Record<string, unknown> }>;
}

/** What the provider host does with `__provider` (require-from-string): compile it as a module, call its handler. */
function load(text: string): Provider {
    const filename = path.join(__dirname, "..", "..", "serialized-provider.js");
    const m = new Module(filename) as Module & { _compile(code: string, file: string): void };
    m.filename = filename;
    m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
    m._compile(text, filename);
    return (m.exports as { handler: () => Provider }).handler();
}

/** Each dynamic resource's type, loaded provider and inputs (as the engine passes them: no `__provider`, no undefined). */
function dynamicResources(resources: readonly Recorded[]) {
    return resources
        .filter((r) => r.type.startsWith(DYNAMIC))
        .map((r) => {
            const { __provider, ...inputs } = r.inputs;
            return {
                type: r.type.slice(DYNAMIC.length),
                name: r.name,
                provider: load(__provider as string),
                inputs: JSON.parse(JSON.stringify(inputs)) as object,
            };
        });
}

describe("dynamic providers as serialized for the engine", function () {
    this.timeout(60_000);
    const K8S_PROVIDER_TOPICS = {
        ...stackConfig("k8s"),
        "kafka-env:kubernetes": JSON.stringify({ external: { type: "NodePort", advertisedHost: "127.0.0.1" }, topics: "provider" }),
    };
    const stacks: [string, Record<string, string>, string][] = [
        ["dev (Docker)", stackConfig("dev"), "dev"],
        ["k8s (Kubernetes, topics through the provider)", K8S_PROVIDER_TOPICS, "k8s"],
    ];
    const seen = new Set<string>();

    for (const [title, config, stack] of stacks) {
        it(`${title}: every provider loads and reports no change for the same inputs, a change for another value`, async () => {
            const { resources } = await runProgram(config, stack);
            for (const r of dynamicResources(resources)) {
                seen.add(r.type);
                const same = await r.provider.diff("id", r.inputs, r.inputs);
                assert.equal(same.changes, false, `${r.type} ${r.name}`);
                assert.deepEqual(same.replaces ?? [], [], `${r.type} ${r.name} is never replaced`);
                const [key] = Object.keys(r.inputs);
                const changed = await r.provider.diff("id", r.inputs, { ...r.inputs, [key]: "something else" });
                assert.equal(changed.changes, true, `${r.type} ${r.name}: ${key} changed`);
            }
        });
    }

    it("covers every kind of dynamic resource", () => {
        assert.deepEqual([...seen].sort(), [
            "BootstrapReachable",
            "BrokerDrain",
            "BrokerSet",
            "BrokerSettle",
            "ClusterGuard",
            "RollGate",
            "Teardown",
            "TopicGuard",
            "VersionStep",
            "WorkloadReady",
        ]);
    });

    it("BootstrapReachable, as serialized, waits for a broker address and returns once it answers", async () => {
        const { resources } = await runProgram(K8S_PROVIDER_TOPICS, "k8s");
        const reachable = dynamicResources(resources).find((r) => r.type === "BootstrapReachable")!;
        const broker = await fakeBroker(() => apiVersionsResponse(1, 0));
        try {
            const created = await reachable.provider.create({ addresses: [`127.0.0.1:${broker.port}`], timeoutSeconds: 10 });
            assert.deepEqual(created.outs.addresses, [`127.0.0.1:${broker.port}`]);
            assert.equal(broker.requests.length, 1);
        } finally {
            broker.close();
        }
    });
});
