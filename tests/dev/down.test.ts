import { strict as assert } from "node:assert";
import { StateResource, describe as inventoryLines, inventory } from "../../tools/dev/down";

const urn = (type: string, name: string) => `urn:pulumi:dev::kafka-env::parent$${type}::${name}`;
const resource = (type: string, name: string, protect = false): StateResource => ({ urn: urn(type, name), type, outputs: { name }, protect });

const STATE: StateResource[] = [
    { urn: "urn:pulumi:dev::kafka-env::pulumi:pulumi:Stack::kafka-env-dev", type: "pulumi:pulumi:Stack" },
    resource("docker:index/network:Network", "kafka-dev"),
    resource("docker:index/remoteImage:RemoteImage", "localhost/kafka-env/cp-kafka:7.9-local"),
    resource("docker:index/volume:Volume", "kafka-dev-kafka-1-data"),
    resource("docker:index/container:Container", "kafka-dev-zookeeper-1"),
    resource("docker:index/container:Container", "kafka-dev-kafka-1"),
    resource("kafka:index/topic:Topic", "orders", true),
    resource("kafka:index/topic:Topic", "payments", true),
    resource("kafka:index/topic:Topic", "scratch"),
];

describe("npm run down's list of what it removes", () => {
    it("names every topic, container, volume and network of the state, and what is kept", () => {
        assert.deepEqual(inventoryLines("dev", inventory(STATE)), [
            "npm run down removes the dev environment:",
            "  3 topics and their data: orders, payments, scratch (2 protected: unprotected for this removal only)",
            "  2 containers, with their anonymous volumes: kafka-dev-kafka-1, kafka-dev-zookeeper-1",
            "  1 volume: kafka-dev-kafka-1-data",
            "  network kafka-dev",
            "  kept: the images (1, other stacks may use them) and Pulumi.dev.yaml",
        ]);
    });

    it("an empty stack removes nothing but says what it keeps", () => {
        assert.deepEqual(inventoryLines("dev", inventory([])), [
            "npm run down removes the dev environment:",
            "  kept: the images (0, other stacks may use them) and Pulumi.dev.yaml",
        ]);
    });
});
