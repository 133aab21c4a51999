/**
 * The day-2 steps on both targets, against stand-in Kafka tools: Docker's `BrokerSet` (drain,
 * unregister and spread in one update) and Kubernetes' `BrokerDrain` then `BrokerSettle` run the
 * same tool calls with the same plans for the same change; only how a gone broker is awaited
 * differs (a container stopped, a pod removed). Kubernetes alone: tests/kubernetes/day2.test.ts.
 */
import { strict as assert } from "node:assert";
import { Reassignment } from "../../components/day2/steps";
import { KafkaTools } from "../../components/day2/tools";
import { applyBrokerSet } from "../../components/docker/brokerSet";
import { applyVersionStep as dockerVersionStep } from "../../components/docker/versionStep";
import { isRefusal } from "../../components/dynamic/refusal";
import { AdminAccess } from "../../components/model/admin";
import { applyDrain, applySettle, applyVersionStep as kubeVersionStep } from "../../components/kubernetes/day2";
import { ToolRun, describeLines, fakeTools } from "./fakeTools";

interface Outcome {
    /** Every tool run, in order. */
    readonly runs: ToolRun[];
    /** Where the tools ran and which brokers they reached. */
    readonly reached: string[];
    /** The brokers awaited gone (Docker: stopped), in order, as broker ids. */
    readonly gone: number[];
    readonly lastReassignment?: Reassignment;
}

interface Settings {
    readonly kraft?: boolean;
    readonly rebalanceOnScaleOut?: boolean;
}

/** Each target's broker steps for a change from `before` to `after` broker ids. */
type Target = (describeOutput: string, before: number[] | undefined, after: number[], s?: Settings) => Promise<Outcome>;

const common = (brokers: number[], s: Settings) => ({
    brokers,
    kraft: s.kraft ?? true,
    rebalanceOnScaleOut: s.rebalanceOnScaleOut ?? true,
    timeoutSeconds: 600,
});

const docker: Target = async (describeOutput, before, after, s = {}) => {
    const state = (brokers: number[]) => ({
        ...common(brokers, s),
        containers: Object.fromEntries(brokers.map((b) => [String(b), `kafka-dev-kafka-${b}`])),
        internalPort: 29092,
    });
    const runs: ToolRun[] = [];
    const reached: string[] = [];
    const gone: number[] = [];
    const hands = {
        tools: (container: string, admin: AdminAccess) => {
            reached.push(`${container} ${admin.bootstrap}`);
            return fakeTools(admin.bootstrap, describeOutput, runs).tools;
        },
        stop: (container: string) => {
            gone.push(Number(container.slice(container.lastIndexOf("-") + 1)));
            return Promise.resolve();
        },
    };
    const out = await applyBrokerSet(hands, before && state(before), state(after));
    return { runs, reached, gone, lastReassignment: out.lastReassignment };
};

const kubernetes: Target = async (describeOutput, before, after, s = {}) => {
    const state = (brokers: number[]) => ({
        ...common(brokers, s),
        namespace: "kafka",
        env: "kafka-dev",
        image: "apache/kafka:4.0.0",
        pods: Object.fromEntries(brokers.map((b) => [String(b), `kafka-dev-kafka-${b - 1}`])),
        bootstrap: brokers.map((b) => `kafka-dev-kafka-${b - 1}.h:29092`).join(","),
    });
    const runs: ToolRun[] = [];
    const reached: string[] = [];
    const gone: number[] = [];
    const hands = {
        tools: (_place: object, bootstrap: string): KafkaTools => {
            reached.push(`job ${bootstrap}`);
            return fakeTools(bootstrap, describeOutput, runs).tools;
        },
        podGone: (_place: object, pod: string) => {
            gone.push(Number(pod.slice(pod.lastIndexOf("-") + 1)) + 1);
            return Promise.resolve();
        },
    };
    const drained = await applyDrain(hands, before && state(before), state(after));
    const settled = await applySettle(hands, before && { ...state(before), lastReassignment: drained.lastReassignment }, state(after));
    return { runs, reached, gone, lastReassignment: settled.lastReassignment };
};

const TARGETS: [string, Target, string][] = [
    ["Docker", docker, "localhost:29092"],
    ["Kubernetes", kubernetes, "kafka-dev-kafka-0.h:29092,kafka-dev-kafka-1.h:29092,kafka-dev-kafka-2.h:29092"],
];

const AUDIT = describeLines([
    ["audit", 0, [1, 2, 3]],
    ["audit", 1, [2, 3, 4]],
    ["audit", 2, [3, 4, 1]],
    ["audit", 3, [4, 1, 2]],
]);
const plan = (run: ToolRun) => JSON.parse(run.env!.KAFKA_ENV_PLAN).partitions as { topic: string; partition: number; replicas: number[] }[];

for (const [name, target, staying] of TARGETS) {
    describe(`day-2 steps on ${name}, through Kafka's tools`, () => {
        it("creating a cluster runs nothing", async () => {
            const out = await target(AUDIT, undefined, [1, 2, 3]);
            assert.deepEqual([out.runs, out.gone, out.lastReassignment], [[], [], undefined]);
        });

        it("KRaft scale-in: drain through the brokers that stay, then each leaving broker gone, then unregistered", async () => {
            const out = await target(AUDIT, [1, 2, 3, 4], [1, 2, 3]);
            assert.deepEqual(
                out.runs.map((r) => r.what),
                ["describe", "reassign", "unregister"],
            );
            assert.ok(
                out.reached.every((r) => r.endsWith(name === "Docker" ? "kafka-dev-kafka-1 localhost:29092" : staying)),
                out.reached.join("; "),
            );
            assert.match(out.runs[0].script, new RegExp(`--bootstrap-server ${staying.replace(/\./g, "\\.")} --describe$`));
            assert.match(out.runs[1].script, new RegExp(`--bootstrap-server ${staying.replace(/\./g, "\\.")} --reassignment-json-file`));
            assert.deepEqual(
                plan(out.runs[1]).map((p) => p.partition),
                [1, 2, 3],
            );
            for (const p of plan(out.runs[1])) assert.ok(!p.replicas.includes(4) && new Set(p.replicas).size === 3);
            assert.deepEqual(out.gone, [4]);
            assert.match(out.runs[2].script, new RegExp(`unregister --bootstrap-server ${staying.replace(/\./g, "\\.")} --id "\\$id"`));
            assert.match(out.runs[2].script, /for id in 4; do/);
            assert.deepEqual({ ...out.lastReassignment, seconds: 0 }, { reason: "drain broker 4", partitions: 3, seconds: 0 });
        });

        it("ZooKeeper-mode scale-in: drained, nothing to unregister", async () => {
            const out = await target(AUDIT, [1, 2, 3, 4], [1, 2, 3], { kraft: false });
            assert.deepEqual(
                out.runs.map((r) => r.what),
                ["describe", "reassign"],
            );
            assert.deepEqual(out.gone, []);
        });

        it("a scale-in the brokers that stay cannot hold is refused (one plain message), before anything moves or stops", async () => {
            await assert.rejects(target(AUDIT, [1, 2, 3, 4], [1, 2]), (e: Error) => {
                assert.ok(isRefusal(e), "a refusal");
                assert.match(e.message, /^kafka-env: cannot remove broker 3, 4: 4 partition\(s\) have more replicas than the 2 broker\(s\) that stay/);
                return true;
            });
        });

        it("scale-out: spreads every topic but the internal ones onto the new broker, unless turned off", async () => {
            const before = describeLines([0, 1, 2, 3].map((p) => ["orders", p, [1, 2, 3].map((_, i) => ((p + i) % 3) + 1)]));
            const on = await target(before, [1, 2, 3], [1, 2, 3, 4]);
            assert.deepEqual(
                on.runs.map((r) => r.what),
                ["describe", "reassign"],
            );
            assert.match(on.runs[0].script, /--describe --exclude-internal$/);
            assert.equal(plan(on.runs[1]).filter((p) => p.replicas.includes(4)).length, 3, "broker 4 takes 3 of the 12 replicas");
            assert.equal(on.lastReassignment!.reason, "spread onto broker 4");
            const off = await target(before, [1, 2, 3], [1, 2, 3, 4], { rebalanceOnScaleOut: false });
            assert.deepEqual(off.runs, []);
        });
    });
}

describe("the version step on both targets, through Kafka's tools", () => {
    const cases: [string, (image: [string, string], mode: "kraft" | "zookeeper") => Promise<{ runs: ToolRun[]; lastStep?: string }>][] = [
        [
            "Docker",
            async ([from, to], mode) => {
                const runs: ToolRun[] = [];
                const hands = { tools: (_c: string, admin: AdminAccess) => fakeTools(admin.bootstrap, "", runs).tools };
                const v = (image: string) => ({ mode, image, container: "kafka-dev-kafka-1", internalPort: 29092 });
                return { runs, lastStep: (await dockerVersionStep(hands, { ...v(from), lastStep: "before" }, v(to))).lastStep };
            },
        ],
        [
            "Kubernetes",
            async ([from, to], mode) => {
                const runs: ToolRun[] = [];
                const hands = { tools: (_p: object, bootstrap: string) => fakeTools(bootstrap, "", runs).tools, podGone: () => Promise.resolve() };
                const v = (image: string) => ({ mode, image, namespace: "kafka", env: "kafka-dev", timeoutSeconds: 600, bootstrap: "b:29092" });
                return { runs, lastStep: (await kubeVersionStep(hands, { ...v(from), lastStep: "before" }, v(to))).lastStep };
            },
        ],
    ];
    for (const [name, step] of cases) {
        it(`${name}: an upgrade 4.0 → 4.1 raises KRaft's metadata.version; ZooKeeper mode and an unchanged image run nothing`, async () => {
            const kraft = await step(["apache/kafka:4.0.0", "apache/kafka:4.1.1"], "kraft");
            assert.deepEqual(
                kraft.runs.map((r) => r.what),
                ["features"],
            );
            assert.match(kraft.runs[0].script, /"\$t" --bootstrap-server \S+ upgrade --metadata 4\.1$/);
            assert.match(kraft.lastStep!, /^4\.0 → 4\.1: kafka-features upgrade --metadata 4\.1/);
            const zk = await step(["confluentinc/cp-kafka:7.8.0", "confluentinc/cp-kafka:7.9.0"], "zookeeper");
            // ZooKeeper mode: the guard took the upgrade only with the protocol pinned; the second roll raises it.
            assert.deepEqual([zk.runs, zk.lastStep], [[], "before"]);
            const same = await step(["apache/kafka:4.1.1", "apache/kafka:4.1.1"], "kraft");
            assert.deepEqual([same.runs, same.lastStep], [[], "before"]);
        });
    }
});
