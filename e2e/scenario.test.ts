/**
 * The end-to-end scenario, for real: `pulumi up` on a real engine, real brokers, a real client;
 * then the day-2 changes on the same cluster (e2e/day2/steps.ts), then `pulumi destroy`.
 * Run by `npm run test:e2e` (e2e/run.sh starts the engine and provides the toolchain and images).
 * Each mode runs the same steps in order; a step relies on the ones before it. Both stacks are
 * secured (SCRAM-SHA-512, TLS, ACLs): every client logs in as the stack's admin and trusts its CA,
 * and the security checks (e2e/security/) run beside the other steps.
 * `KAFKA_ENV_E2E_MODES=kraft` runs one mode only (investigating); both by default.
 */
import { strict as assert } from "node:assert";
import { reportDay2 } from "./day2/measure";
import { day2Steps } from "./day2/steps";
import { allVolumes, containerEnv, docker, inspect, leftovers } from "./lib/docker";
import { crash, restartCount, waitBack, waitInSync } from "./lib/faults";
import { Brokers, Message, consumeAll, inOrderPerKey, leaders, missing, partitionCount, produce } from "./lib/kafka";
import { PulumiStack } from "./lib/pulumi";
import { StackLogins, stackLogins } from "./lib/security";
import { aclDeleted, aclRemovalStep, containers } from "./security/aclRemoval";
import { securitySteps } from "./security/checks";
import { kafkaUiProperties } from "./security/kafkaUi";

// The KRaft cluster starts on Kafka 4.0: a day-2 step upgrades it to 4.1. orders-app's password is
// generated on the ZooKeeper stack and given (kafka-env:userPasswords) on the KRaft one.
const MODES = [
    { mode: "zookeeper", stack: "e2e-zk", env: "kafka-e2e-zk", clientImage: "localhost/kafka-env/cp-kafka:7.9-local", givenPassword: undefined },
    {
        mode: "kraft",
        stack: "e2e-kraft",
        env: "kafka-e2e-kraft",
        clientImage: "localhost/kafka-env/kafka:4.0-local",
        givenPassword: "orders-app-e2e-given-Pw1",
    },
] as const;

after(reportDay2);

const only = process.env.KAFKA_ENV_E2E_MODES?.split(",");
for (const m of MODES.filter((x) => !only || only.includes(x.mode))) {
    describe(`end to end, ${m.mode} mode (${m.stack})`, function () {
        this.timeout(20 * 60 * 1000);
        const stack = new PulumiStack(m.stack);
        let outputs: Record<string, string>;
        let logins: StackLogins;
        /** The host's bootstrap servers, logged in as the stack's admin. */
        let bootstrap: Brokers;
        /** Every e2e-orders message whose send was acknowledged: each must be read back. */
        const acked: Message[] = [];

        let volumesBefore: string[];
        before(() => {
            assert.ok(process.env.DOCKER_HOST, "DOCKER_HOST must point at the engine (npm run test:e2e sets it)");
            volumesBefore = allVolumes();
            stack.init();
        });

        after(function () {
            // Whatever happened, leave nothing running (protection off, then destroy).
            if (leftovers(m.env).containers.length > 0) {
                stack.editCluster((c) => (c.protectTopics = false));
                stack.up({ allowFailure: true });
                stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            }
            stack.remove();
        });

        it("pulumi up creates the cluster and its topics", () => {
            const up = stack.up();
            console.log(`      pulumi up: ${up.seconds.toFixed(0)} s`);
            outputs = stack.outputs();
            assert.equal(
                outputs.bootstrapServers,
                m.mode === "zookeeper" ? "localhost:19092,localhost:19093,localhost:19094" : "localhost:19192,localhost:19193,localhost:19194",
            );
            assert.equal(outputs.internalBootstrapServers, "kafka-1:29092,kafka-2:29092,kafka-3:29092");
            for (const n of [1, 2, 3]) {
                assert.equal(inspect(`${m.env}-kafka-${n}`, "{{.State.Health.Status}}"), "healthy");
            }
            logins = stackLogins(stack)!;
            assert.ok(logins, "the stack is secured: it exports caCertificate and adminCredentials");
            assert.match(logins.ca, /^-----BEGIN CERTIFICATE-----/);
            const expiry = (Date.parse(outputs.certificateExpiry) - Date.now()) / 86400000;
            assert.ok(expiry > 360 && expiry <= 365, `the certificates expire in a year (${expiry.toFixed(1)} days)`);
            assert.deepEqual(Object.keys(logins.users), ["orders-app"]);
            if (m.givenPassword) assert.equal(logins.users["orders-app"].password, m.givenPassword, "a password given in kafka-env:userPasswords is used");
            else assert.match(logins.users["orders-app"].password, /^[A-Za-z0-9_-]{32}$/, "a generated password");
            bootstrap = { servers: outputs.bootstrapServers, login: logins.admin };
        });

        it("a host client produces 1,000 keyed messages with acks=all and reads them back in order per key", async () => {
            assert.equal(await partitionCount(bootstrap, "e2e-orders"), 3);
            const sent = await produce(bootstrap, "e2e-orders", 1000);
            assert.deepEqual([sent.acknowledged.length, sent.failedSends], [1000, 0]);
            acked.push(...sent.acknowledged);
            const got = await consumeAll(bootstrap, "e2e-orders", 1000);
            assert.equal(got.length, 1000, "exactly once without failures");
            assert.ok(inOrderPerKey(got), "messages of one key arrive in the order they were produced");
        });

        it("a container on the cluster network, given kafka-ui's bootstrap string and login (and its CA), lists the topics", () => {
            const env = containerEnv(`${m.env}-kafka-ui`);
            const uiBootstrap = env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS;
            assert.equal(uiBootstrap, outputs.internalBootstrapServers);
            // kafka-ui's own client properties (its env) and the CA uploaded into its container, as it reads them.
            const ui = kafkaUiProperties(`${m.env}-kafka-ui`, env);
            try {
                const tool =
                    't=$(command -v kafka-topics || echo /opt/kafka/bin/kafka-topics.sh); "$t" --bootstrap-server "$0" --command-config /etc/kafka-ui/client.properties --list';
                const topics = docker([
                    "run",
                    "--rm",
                    "--network",
                    m.env,
                    "-v",
                    `${ui.dir}:/etc/kafka-ui:ro`,
                    "--entrypoint",
                    "bash",
                    m.clientImage,
                    "-c",
                    tool,
                    uiBootstrap,
                ]).split("\n");
                assert.ok(topics.includes("e2e-orders") && topics.includes("e2e-events"), topics.join(","));
                console.log(`      as ${ui.user} (${env.KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL})`);
            } finally {
                ui.remove();
            }
        });

        it("a preview right after up expects no changes", () => {
            stack.run(["preview", "--expect-no-changes", "--diff"]);
        });

        it("one more topic and more partitions on another preview and apply as exactly those changes", async () => {
            stack.editCluster((c) => {
                c.topics.push({ name: "e2e-refunds", partitions: 2 });
                c.topics.find((t: { name: string }) => t.name === "e2e-events").partitions = 4;
            });
            const topicsOf = `${m.env}-topics`;
            assert.deepEqual(
                stack.previewSteps(),
                [
                    ["create", "kafka:index/topic:Topic", `${topicsOf}-e2e-refunds`],
                    ["update", "kafka:index/topic:Topic", `${topicsOf}-e2e-events`],
                    // the topic guard records the new partition counts
                    ["update", "pulumi-nodejs:dynamic/kafka-env:TopicGuard", `${topicsOf}-guard`],
                ].sort(),
            );
            stack.up();
            assert.equal(await partitionCount(bootstrap, "e2e-events"), 4);
            assert.equal(await partitionCount(bootstrap, "e2e-refunds"), 2);
            const got = await consumeAll(bootstrap, "e2e-orders", acked.length);
            assert.deepEqual(missing(acked, got), [], "the untouched topic keeps its data");
            stack.run(["preview", "--expect-no-changes"]);
        });

        it("a partition decrease is refused, and the topic and its messages survive", async () => {
            stack.editCluster((c) => (c.topics.find((t: { name: string }) => t.name === "e2e-orders").partitions = 1));
            const up = stack.up({ allowFailure: true });
            assert.notEqual(up.code, 0, "pulumi up must fail");
            // The TopicGuard refuses it with the reason before any topic is touched (protection is the second line).
            assert.match(up.stdout + up.stderr, /refused: e2e-orders has 3 partitions and the config asks for 1; Kafka cannot remove partitions/);
            assert.equal(await partitionCount(bootstrap, "e2e-orders"), 3);
            const got = await consumeAll(bootstrap, "e2e-orders", acked.length);
            assert.deepEqual(missing(acked, got), []);
            stack.editCluster((c) => (c.topics.find((t: { name: string }) => t.name === "e2e-orders").partitions = 3));
            stack.run(["preview", "--expect-no-changes"]);
        });

        it("a producer writing through a broker crash loses no acknowledged message; the restart policy brings the broker back", async () => {
            // The leader of partition 0 crashes (SIGKILL from the host) while the producer writes
            // 1,500 messages over about 30 s: the sends to its partitions wait for the new leaders.
            const victim = `${m.env}-kafka-${(await leaders(bootstrap, "e2e-orders")).get(0)}`;
            const restarts = restartCount(victim);
            const writing = produce(bootstrap, "e2e-orders", 1500, { from: acked.length, batch: 50, paceMs: 1000 });
            await new Promise((r) => setTimeout(r, 3000));
            crash(victim);
            const sent = await writing;
            acked.push(...sent.acknowledged);
            const back = await waitBack(victim, restarts);
            const inSync = await waitInSync(bootstrap, ["e2e-orders"], 3);
            console.log(
                `      ${sent.acknowledged.length} of 1500 acknowledged through the crash (${sent.failedSends} sends failed); ${victim} back after ${back.toFixed(0)} s (${restartCount(victim)} restarts), in sync ${inSync.toFixed(0)} s later`,
            );
            const got = await consumeAll(bootstrap, "e2e-orders", acked.length, 180000);
            assert.deepEqual(missing(acked, got), [], "every acknowledged message is read back");
            assert.ok(sent.acknowledged.length >= 1000, "the producer got through the crash");
        });

        securitySteps({ env: m.env, toolImage: m.clientImage, outputs: () => outputs, logins: () => logins });

        day2Steps({ mode: m.mode, stack, env: m.env, toolImage: m.clientImage, outputs: () => outputs, logins: () => logins });

        aclRemovalStep({
            stack,
            env: m.env,
            toolImage: m.clientImage,
            outputs: () => outputs,
            logins: () => logins,
            running: () => containers(m.env),
            previews: aclDeleted(m.env),
        });

        it("pulumi destroy (protection turned off) leaves no container, network or volume", () => {
            stack.editCluster((c) => (c.protectTopics = false));
            stack.up();
            stack.run(["destroy", "--yes", "--skip-preview"]);
            assert.deepEqual(leftovers(m.env), { containers: [], volumes: [], networks: [] });
            // Anonymous volumes (the images' other VOLUMEs) carry no label: none may be new either.
            assert.deepEqual(
                allVolumes().filter((v) => !volumesBefore.includes(v)),
                [],
            );
        });
    });
}
