import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ImageProbe, localEquivalent, planImages, pullFailure, stackFileText } from "../../tools/dev/images";

const DEV = { kafka: "confluentinc/cp-kafka:7.9.3", zookeeper: "confluentinc/cp-zookeeper:7.9.3", kafkaUi: "ghcr.io/kafbat/kafka-ui:v1.5.0" };
const NO_REGISTRY = "dial tcp: lookup registry-1.docker.io: no such host";

/** An engine holding `present`, whose pulls succeed for `pullable` only. */
function engine(present: string[], pullable: string[] = []): ImageProbe & { pulls: string[] } {
    const pulls: string[] = [];
    return {
        pulls,
        present: (ref) => present.includes(ref),
        pull: (ref) => (pulls.push(ref), pullable.includes(ref) ? undefined : NO_REGISTRY),
    };
}

describe("the dev stack's images", () => {
    it("local equivalents exist for the release lines e2e/images/build.sh makes, and no others", () => {
        const cases: [string, string | undefined][] = [
            ["confluentinc/cp-kafka:7.9.3", "localhost/kafka-env/cp-kafka:7.9-local"],
            ["docker.io/confluentinc/cp-kafka:7.9.0", "localhost/kafka-env/cp-kafka:7.9-local"],
            ["confluentinc/cp-kafka:7.8.2", "localhost/kafka-env/cp-kafka:7.8-local"],
            ["confluentinc/cp-zookeeper:7.9.3", "localhost/kafka-env/cp-zookeeper:7.9-local"],
            ["apache/kafka:4.1.1", "localhost/kafka-env/kafka:4.1-local"],
            ["apache/kafka:4.0.0", "localhost/kafka-env/kafka:4.0-local"],
            ["apache/kafka:3.9.0", undefined],
            ["confluentinc/cp-kafka:7.7.1", undefined],
            ["ghcr.io/kafbat/kafka-ui:v1.5.0", undefined],
            ["apache/kafka@sha256:abc", undefined],
        ];
        for (const [ref, tag] of cases) assert.equal(localEquivalent(ref)?.tag, tag, ref);
    });

    it("says in a few words why a pull failed", () => {
        const podman =
            'Error: initializing source docker://confluentinc/cp-kafka:7.9.3: pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.254:53: no such host';
        assert.equal(pullFailure(`Trying to pull...\n${podman}\n`), "registry-1.docker.io unreachable: no such host");
        const docker = 'Error response from daemon: Get "https://ghcr.io/v2/": dial tcp 140.82.1.1:443: i/o timeout';
        assert.equal(pullFailure(docker), "ghcr.io unreachable: i/o timeout");
        assert.equal(
            pullFailure("Error response from daemon: manifest for apache/kafka:9.9.9 not found: manifest unknown"),
            "manifest for apache/kafka:9.9.9 not found: manifest unknown",
        );
        assert.equal(pullFailure(`Error: ${"word ".repeat(50)}`).length <= 164, true);
    });

    it("uses what the engine has or can pull, and builds nothing then", () => {
        const probe = engine([DEV.zookeeper], [DEV.kafka, DEV.kafkaUi]);
        assert.deepEqual(planImages(DEV, probe, true), { replace: {}, withoutKafkaUi: false, build: [], notes: [] });
        assert.deepEqual(probe.pulls, [DEV.kafka, DEV.kafkaUi]);
    });

    it("without a registry: local equivalents (built when missing) and no kafka-ui, one line each", () => {
        const plan = planImages(DEV, engine(["localhost/kafka-env/cp-zookeeper:7.9-local"]), true);
        assert.deepEqual(plan.replace, { zookeeper: "localhost/kafka-env/cp-zookeeper:7.9-local", kafka: "localhost/kafka-env/cp-kafka:7.9-local" });
        assert.deepEqual(plan.build, ["cp-kafka"]);
        assert.equal(plan.withoutKafkaUi, true);
        assert.deepEqual(plan.notes, [
            `confluentinc/cp-zookeeper:7.9.3 cannot be pulled (${NO_REGISTRY}): using localhost/kafka-env/cp-zookeeper:7.9-local instead, the same image contract built from Debian packages and Maven Central jars (e2e/images/README.md)`,
            `confluentinc/cp-kafka:7.9.3 cannot be pulled (${NO_REGISTRY}): using localhost/kafka-env/cp-kafka:7.9-local instead, the same image contract built from Debian packages and Maven Central jars (e2e/images/README.md)`,
            `kafka-ui: ghcr.io/kafbat/kafka-ui:v1.5.0 cannot be pulled (${NO_REGISTRY}) and has no local equivalent (the e2e stand-in only answers health checks): the environment runs without kafka-ui`,
        ]);
    });

    it("a disabled kafka-ui is not looked for", () => {
        const probe = engine([DEV.kafka, DEV.zookeeper]);
        assert.equal(planImages({ ...DEV, kafkaUi: undefined }, probe, true).withoutKafkaUi, false);
        assert.deepEqual(probe.pulls, []);
    });

    it("fails with the reason when an image can be neither pulled nor stood in for", () => {
        assert.throws(
            () => planImages({ kafka: "apache/kafka:3.9.0" }, engine([]), true),
            /apache\/kafka:3\.9\.0 cannot be pulled \(.*no such host\), and e2e\/images\/build\.sh has no local equivalent of it/,
        );
        assert.throws(
            () => planImages({ kafka: DEV.kafka }, engine([]), false),
            /its local equivalent is built with Podman, whose images this engine does not share/,
        );
    });

    it("the per-run stack file changes only the images and kafka-ui, and keeps the committed salt", () => {
        const committed = fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8");
        const text = stackFileText(committed, { replace: { kafka: "localhost/kafka-env/cp-kafka:7.9-local" }, withoutKafkaUi: true });
        const before = parse(committed);
        const after = parse(text);
        assert.equal(after.encryptionsalt, before.encryptionsalt);
        assert.match(after.encryptionsalt, /^v1:/);
        const cluster = before.config["kafka-env:cluster"];
        assert.deepEqual(after.config, {
            ...before.config,
            "kafka-env:cluster": { ...cluster, images: { kafka: "localhost/kafka-env/cp-kafka:7.9-local" }, kafkaUi: { ...cluster.kafkaUi, enabled: false } },
        });
    });
});
