/**
 * The Docker adapter's dynamic providers hand their outputs to the Pulumi provider host, which
 * encodes them with protobuf's `Struct.fromJavaScript`: an `undefined` anywhere fails the whole
 * `pulumi up` with "Unexpected struct type" (a first BrokerSet create did, on a real engine). Each
 * provider runs here on the inputs the dev stack really gives it, for the operations that need no
 * running cluster, and its outputs go through the same encoder.
 */
import { strict as assert } from "node:assert";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { deployEnvironment } from "../../components/stackConfig";
import { brokerSetProvider } from "../../components/docker/brokerSet";
import { guardProvider } from "../../components/guards/clusterGuard";
import { versionStepProvider } from "../../components/docker/versionStep";
import { topicGuardProvider } from "../../components/guards/topicGuard";
import { Recorded, runMocked, stackConfig } from "../../tools/graph/mocks";

const DYNAMIC = "pulumi-nodejs:dynamic/kafka-env:";

/** The inputs the engine would pass: what the program registered, without the provider's code. */
function inputsOf(resources: readonly Recorded[], type: string): Record<string, any> {
    const r = resources.find((x) => x.type === DYNAMIC + type);
    assert.ok(r, `the dev stack registers a ${type}`);
    const inputs: Record<string, any> = { ...r.inputs };
    delete inputs.__provider;
    // an input the program leaves undefined never reaches the provider
    return JSON.parse(JSON.stringify(inputs)) as Record<string, any>;
}

/** What the provider host does with `outs`. */
function encodes(outs: unknown): void {
    assert.doesNotThrow(() => Struct.fromJavaScript(outs as Record<string, any>), "outputs protobuf can encode");
    assert.ok(!JSON.stringify(outs, (_k, v: unknown) => (v === undefined ? "UNDEFINED" : v)).includes("UNDEFINED"));
}

describe("docker: dynamic providers' outputs reach the engine", function () {
    this.timeout(30_000);
    let resources: Recorded[];
    before(async () => {
        resources = (await runMocked(stackConfig("dev"), deployEnvironment, { stack: "dev" })).resources;
    });

    it("BrokerSet: creating a cluster moves nothing, and its outputs encode (no reassignment yet)", async () => {
        const inputs = inputsOf(resources, "BrokerSet");
        const created = await brokerSetProvider.create(inputs);
        assert.equal(created.outs.lastReassignment, undefined);
        assert.ok(!("lastReassignment" in created.outs));
        encodes(created.outs);
        const same = await brokerSetProvider.update!("brokers", created.outs, inputs);
        encodes(same.outs);
    });

    it("VersionStep: create, and an update without a newer release, encode", async () => {
        const inputs = inputsOf(resources, "VersionStep");
        const created = await versionStepProvider.create(inputs);
        encodes(created.outs);
        const same = await versionStepProvider.update!("version", created.outs, inputs);
        encodes(same.outs);
    });

    it("ClusterGuard and TopicGuard: create and update encode", async () => {
        for (const [type, provider] of [
            ["ClusterGuard", guardProvider],
            ["TopicGuard", topicGuardProvider],
        ] as const) {
            const inputs = inputsOf(resources, type);
            encodes((await provider.create(inputs)).outs);
            encodes((await provider.update!("x", inputs, inputs)).outs);
        }
    });
});
