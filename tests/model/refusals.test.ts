/**
 * The diff and the cluster guard cannot disagree: for every change the guard refuses, the diff's
 * verdict is `refused` and its reason is the guard's own text (`refusedChanges`, the function the
 * guard's check runs), on the setting that makes the refusal or, when none does, on the fact.
 */
import { strict as assert } from "node:assert";
import { compareEnvironments } from "../../components/changes";
import { day2Facts, refusedChanges } from "../../components/model/day2";
import { planEnvironment } from "../../components/plan";

type Values = Record<string, any>;
const ZK = { name: "kafka-dev", mode: "zookeeper", brokers: 3 };
const KRAFT = { name: "kafka-dev", mode: "kraft", brokers: 3, images: { kafka: "apache/kafka:4.1.1" } };
const docker = (cluster: Values): Values => ({ cluster });
const k8s = (cluster: Values, namespace = "kafka"): Values => ({ target: "kubernetes", namespace, cluster });
const cp = (tag: string) => ({ kafka: `confluentinc/cp-kafka:${tag}` });
const RECREATE = "to start over, run `pulumi destroy` (this deletes every volume and all data) and then `pulumi up`";

/** [refused fact, before, after, the paths that read `refused`]. */
const CASES: [string, Values, Values, string[]][] = [
    ["mode switched", docker({ mode: "zookeeper" }), docker({ mode: "kraft" }), ["cluster.mode"]],
    ["cluster id changed", docker(KRAFT), docker({ ...KRAFT, kraft: { clusterId: "AAAAAAAAAAAAAAAAAAAAAA" } }), ["cluster.kraft.clusterId"]],
    ["controllers changed", docker(KRAFT), docker({ ...KRAFT, kraft: { controllers: 1 } }), ["cluster.kraft.controllers"]],
    [
        "controllers made dedicated",
        docker({ ...KRAFT, kraft: { controllers: 3 } }),
        docker({ ...KRAFT, kraft: { controllers: 3, dedicatedControllers: true } }),
        ["cluster.kraft.dedicatedControllers"],
    ],
    ["brokers added while the controllers follow them", docker({ ...KRAFT, brokers: 1 }), docker(KRAFT), ["cluster.kraft.controllers"]],
    ["controller port changed", docker(KRAFT), docker({ ...KRAFT, listeners: { controllerPort: 29094 } }), ["cluster.listeners.controllerPort"]],
    ["the controllers' namespace changed (Kubernetes): shown on the fact", k8s(KRAFT), k8s(KRAFT, "kafka2"), ["controller.quorum.voters"]],
    ["ZooKeeper ensemble resized", docker(ZK), docker({ ...ZK, zookeeper: { nodes: 3 } }), ["cluster.zookeeper.nodes"]],
    ["ZooKeeper ensemble resized (Kubernetes)", k8s(ZK), k8s({ ...ZK, zookeeper: { nodes: 3 } }), ["cluster.zookeeper.nodes"]],
    ["Kafka downgraded (ZooKeeper)", docker({ ...ZK, images: cp("7.9.3") }), docker({ ...ZK, images: cp("7.8.0") }), ["cluster.images.kafka"]],
    ["Kafka downgraded (KRaft)", docker(KRAFT), docker({ ...KRAFT, images: { kafka: "apache/kafka:4.0.0" } }), ["cluster.images.kafka"]],
    ["ZooKeeper-mode upgrade, protocol not pinned", docker({ ...ZK, images: cp("7.8.0") }), docker({ ...ZK, images: cp("7.9.3") }), ["cluster.images.kafka"]],
    [
        "ZooKeeper-mode upgrade, protocol pinned at the new release",
        docker({ ...ZK, images: cp("7.8.0") }),
        docker({ ...ZK, images: cp("7.9.3"), brokerConfig: { "inter.broker.protocol.version": "3.9" } }),
        ['cluster.brokerConfig["inter.broker.protocol.version"]', "cluster.images.kafka"],
    ],
    [
        "security turned on: authentication",
        docker(KRAFT),
        docker({ ...KRAFT, security: { authentication: "scram-sha-512" } }),
        ["cluster.security.authentication"],
    ],
    ["security turned on: TLS (ZooKeeper, Kubernetes)", k8s(ZK), k8s({ ...ZK, security: { tls: true } }), ["cluster.security.tls"]],
    [
        "security turned off",
        docker({ ...ZK, security: { authentication: "scram-sha-256", authorization: true } }),
        docker(ZK),
        ["cluster.security.authentication", "cluster.security.authorization"],
    ],
];

const plan = (values: Values) => planEnvironment({ values, stack: "test" });

describe("refused changes: the diff says what the cluster guard says", () => {
    for (const [fact, before, after, paths] of CASES) {
        it(fact, () => {
            const guard = refusedChanges(plan(before).model, plan(after).model);
            assert.equal(guard.length, 1, guard.join("\n"));
            const refused = compareEnvironments(plan(before), plan(after)).filter((c) => c.severity === "refused");
            assert.deepEqual(
                refused.map((c) => [c.path, c.reason]),
                paths.map((p) => [p, guard[0]]),
            );
        });
    }

    it("every refused change reads refused, in the guard's words, and nothing else does", () => {
        const [before, after] = [plan(docker({ ...KRAFT, brokers: 1 })), plan(docker({ ...KRAFT, kraft: { clusterId: "AAAAAAAAAAAAAAAAAAAAAA" } }))];
        const guard = refusedChanges(before.model, after.model);
        assert.equal(guard.length, 2);
        const changes = compareEnvironments(before, after);
        assert.deepEqual(
            changes.filter((c) => c.severity === "refused").map((c) => [c.path, c.reason]),
            [
                ["cluster.kraft.clusterId", guard[0]],
                ["cluster.kraft.controllers", guard[1]],
            ],
        );
        assert.equal(changes.find((c) => c.path === "cluster.brokers")?.severity, "safe", "a broker joining is not what is refused");
    });

    it("the guard's text, word for word: a mode switch, a downgrade, an upgrade without the protocol pinned", () => {
        const reason = (before: Values, after: Values, path: string) => compareEnvironments(plan(before), plan(after)).find((c) => c.path === path)?.reason;
        assert.equal(
            reason(docker({ mode: "zookeeper" }), docker({ mode: "kraft" }), "cluster.mode"),
            `mode zookeeper → kraft on a cluster that holds data: the brokers' data directories and metadata belong to zookeeper mode and the nodes would crash-loop; ` +
                `keep mode "zookeeper", or ${RECREATE}, or deploy the new mode as a new stack (another cluster.name) and move the data with MirrorMaker`,
        );
        assert.equal(
            reason(docker({ ...ZK, images: cp("7.9.3") }), docker({ ...ZK, images: cp("7.8.0") }), "cluster.images.kafka"),
            "images.kafka confluentinc/cp-kafka:7.9.3 → confluentinc/cp-kafka:7.8.0 is a downgrade from Kafka 3.9 to 3.8: " +
                "brokers of the newer release may have written data or inter.broker.protocol.version the older one cannot read; " +
                `keep confluentinc/cp-kafka:7.9.3, or recreate the cluster deliberately (see "Changing a running cluster" in the README)`,
        );
        assert.equal(
            reason(docker({ ...ZK, images: cp("7.8.0") }), docker({ ...ZK, images: cp("7.9.3") }), "cluster.images.kafka"),
            `images.kafka confluentinc/cp-kafka:7.8.0 → confluentinc/cp-kafka:7.9.3 upgrades Kafka 3.8 → 3.9 in ZooKeeper mode without pinning the inter-broker protocol: ` +
                `while the brokers roll, an upgraded broker could not replicate from the ones not yet upgraded. ` +
                `Set brokerConfig "inter.broker.protocol.version": "3.8" in the same change and run \`pulumi up\` (one roll onto the new image); ` +
                `then remove it (or set "3.9") and run \`pulumi up\` again (a second roll raises the protocol)`,
        );
    });

    it("the guard's text on security turned on or off, word for word; between secured settings nothing is refused", () => {
        const reason = (before: Values, after: Values, path: string) => compareEnvironments(plan(before), plan(after)).find((c) => c.path === path)?.reason;
        assert.equal(
            reason(docker(KRAFT), docker({ ...KRAFT, security: { tls: true } }), "cluster.security.tls"),
            "security on a running unsecured cluster would move inter-broker and controller traffic to TLS in one roll, " +
                "cutting brokers off from the controllers and from each other mid-roll; keep cluster.security as it is, " +
                "or deploy the secured cluster as a new stack (another cluster.name), move clients and data to it (MirrorMaker 2), then destroy the old one; " +
                "or run `pulumi destroy` (this deletes every volume and all data) and then `pulumi up`",
        );
        assert.equal(
            reason(docker({ ...ZK, security: { tls: true } }), docker(ZK), "cluster.security.tls"),
            "security off on a running secured cluster would move inter-broker traffic off TLS in one roll, cutting brokers off from each other mid-roll; " +
                "keep cluster.security as it is, or deploy the unsecured cluster as a new stack (another cluster.name), move clients and data to it (MirrorMaker 2), then destroy the old one; " +
                "or run `pulumi destroy` (this deletes every volume and all data) and then `pulumi up`",
        );
        const between = compareEnvironments(
            plan(docker({ ...KRAFT, security: { tls: true } })),
            plan(docker({ ...KRAFT, security: { authentication: "scram-sha-512" } })),
        );
        assert.deepEqual(
            between.filter((c) => c.severity === "refused"),
            [],
        );
    });

    it("a guard deployed before the secured fact existed sees no change on an unsecured cluster", () => {
        const facts = day2Facts(plan(docker(KRAFT)).model);
        assert.equal("secured" in facts, false);
        assert.equal(day2Facts(plan(docker({ ...KRAFT, security: { tls: true } })).model).secured, true);
    });

    it("a renamed cluster or another target has a new guard: nothing is refused, the rules judge", () => {
        const renamed = compareEnvironments(plan(docker({ ...ZK, mode: "zookeeper" })), plan(docker({ ...ZK, name: "kafka-new", mode: "kraft" })));
        assert.deepEqual(
            renamed.filter((c) => ["cluster.mode", "cluster.name"].includes(c.path)).map((c) => [c.path, c.severity]),
            [
                ["cluster.mode", "dangerous"],
                ["cluster.name", "dangerous"],
            ],
        );
        const retargeted = compareEnvironments(plan(docker(KRAFT)), plan(k8s({ ...KRAFT, kraft: { controllers: 1 } })));
        assert.deepEqual(
            retargeted.filter((c) => c.severity === "refused"),
            [],
        );
    });
});
