/**
 * Node settings reach the pods by a roll, not a replacement: under mocks, what a settings change
 * changes (and what it leaves alone); the readiness script that makes a roll wait for a broker to
 * catch up, run for real with a stand-in `kafka-topics`; the init container for volumes that
 * ignore fsGroup; the topics Job's failure policy; the waiters.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { graphDiff } from "../../tools/graph/diff";
import { Recorded, runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";

const K8S = stackConfig("k8s");
const KRAFT_DEDICATED = withCluster(K8S, (c) => {
    c.mode = "kraft";
    delete c.zookeeper;
    c.kraft = { dedicatedControllers: true };
});
const graph = async (config: Record<string, string>) => (await runProgram(config, "k8s")).resources;
const lowerMinIsr = (config: Record<string, string>) => withCluster(config, (c) => (c.replication.minInsyncReplicas = 1));
const sts = (rs: readonly Recorded[], group: string) => byType(rs, TYPES.statefulSet).get(`kafka-dev-${group}`)!;
const settingsMap = (rs: readonly Recorded[], group: string) => byType(rs, TYPES.configMap).get(`kafka-dev-${group}-settings`)!;
/** The StatefulSet fields Kubernetes does not let an update change: a change there forces a replacement. */
const IMMUTABLE = ["selector", "serviceName", "podManagementPolicy", "volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy"];

describe("Kubernetes: a node settings change rolls its group alone", () => {
    for (const [mode, config, other] of [
        ["ZooKeeper mode", K8S, "zookeeper"],
        ["KRaft, dedicated controllers", KRAFT_DEDICATED, "controller"],
    ] as const) {
        it(`${mode}: minInsyncReplicas 2 -> 1 changes the brokers' settings, template and waiter; ${other} untouched`, async () => {
            const before = await graph(config);
            const after = await graph(lowerMinIsr(config));
            const ready = "pulumi-nodejs:dynamic/kafka-env:WorkloadReady";
            assert.deepEqual(graphDiff(before, after), {
                added: [],
                removed: [],
                changed: [`${TYPES.statefulSet}::kafka-dev-kafka`, `${TYPES.configMap}::kafka-dev-kafka-settings`, `${ready}::kafka-dev-kafka-ready`].sort(),
            });
            // The ConfigMap is versioned: a new name (so it is created before the old one is deleted), immutable.
            const [cmBefore, cmAfter] = [settingsMap(before, "kafka"), settingsMap(after, "kafka")];
            assert.notEqual(cmAfter.inputs.metadata.name, cmBefore.inputs.metadata.name);
            assert.match(cmAfter.inputs.metadata.name, /^kafka-dev-kafka-settings-[0-9a-f]{10}$/);
            assert.equal(cmAfter.inputs.immutable, true);
            assert.equal(cmAfter.options!.deleteBeforeReplace, false);
            // The StatefulSet is updated in place: only its pod template changes, with the new hash.
            const [a, b] = [sts(before, "kafka").inputs.spec, sts(after, "kafka").inputs.spec];
            for (const field of IMMUTABLE) assert.deepEqual(b[field], a[field], field);
            const hash = b.template.metadata.annotations["kafka-env.io/settings-hash"];
            assert.equal(cmAfter.inputs.metadata.name, `kafka-dev-kafka-settings-${hash}`);
            assert.equal(b.template.spec.volumes[0].configMap.name, cmAfter.inputs.metadata.name);
            assert.notEqual(hash, a.template.metadata.annotations["kafka-env.io/settings-hash"]);
            assert.deepEqual(b.updateStrategy, { type: "RollingUpdate", rollingUpdate: { partition: 0 } });
        });
    }

    it("every group keeps at most one pod down for voluntary disruptions", async () => {
        const rs = await graph(KRAFT_DEDICATED);
        assert.deepEqual(
            [...byType(rs, TYPES.pdb).values()].map((p) => [p.name, p.inputs.spec.maxUnavailable]),
            [
                ["kafka-dev-controller-pdb", 1],
                ["kafka-dev-kafka-pdb", 1],
            ],
        );
    });
});

describe("Kubernetes: waiting for workloads", () => {
    let rs: Recorded[];
    before(async () => {
        rs = await graph({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ readyTimeoutSeconds: 900 }) });
    });

    it("one waiter per StatefulSet, kafka-ui and the topics Job, each after its workload; the provider does not await them", () => {
        const waiters = [...byType(rs, TYPES.ready).values()];
        assert.deepEqual(waiters.map((w) => [w.name, w.inputs.kind, w.inputs.name, w.inputs.timeoutSeconds]).sort(), [
            ["kafka-dev-kafka-ready", "StatefulSet", "kafka-dev-kafka", 900],
            ["kafka-dev-kafka-ui-ready", "Deployment", "kafka-dev-kafka-ui", 900],
            ["kafka-dev-topics-ready", "Job", byType(rs, TYPES.job).get("kafka-dev-topics")!.inputs.metadata.name, 900],
            ["kafka-dev-zookeeper-ready", "StatefulSet", "kafka-dev-zookeeper", 900],
        ]);
        for (const w of waiters)
            assert.ok(
                w.options!.dependsOn.some((u) => u.endsWith(`::${w.name.replace(/-ready$/, "")}`)),
                w.name,
            );
        for (const type of [TYPES.statefulSet, TYPES.deployment, TYPES.job]) {
            for (const r of byType(rs, type).values()) assert.equal(r.inputs.metadata.annotations["pulumi.com/skipAwait"], "true", r.name);
        }
        // The brokers start once ZooKeeper is ready, not merely created.
        assert.ok(sts(rs, "kafka").options!.dependsOn.some((u) => u.endsWith("WorkloadReady::kafka-dev-zookeeper-ready")));
    });

    it("rendering manifests has nothing to wait for", async () => {
        const rendered = await graph({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ renderDirectory: "rendered" }) });
        assert.equal(byType(rendered, TYPES.ready).size, 0);
    });

    it("a changed topic list is a new Job, named after its content, created before the old one is deleted", async () => {
        const job = (r: readonly Recorded[]) => byType(r, TYPES.job).get("kafka-dev-topics")!;
        const more = await graph(
            withCluster({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ readyTimeoutSeconds: 900 }) }, (c) =>
                c.topics.push({ name: "more", partitions: 1 }),
            ),
        );
        assert.match(job(rs).inputs.metadata.name, /^kafka-dev-topics-[0-9a-f]{10}$/);
        assert.notEqual(job(more).inputs.metadata.name, job(rs).inputs.metadata.name);
        assert.ok(!job(more).options!.deleteBeforeReplace);
        assert.equal(byType(more, TYPES.ready).get("kafka-dev-topics-ready")!.inputs.name, job(more).inputs.metadata.name);
    });

    it("the topics Job fails at once on a refusal (exit 3), retries anything else", () => {
        const spec = byType(rs, TYPES.job).get("kafka-dev-topics")!.inputs.spec;
        assert.equal(spec.template.spec.restartPolicy, "Never");
        assert.deepEqual(spec.podFailurePolicy.rules, [{ action: "FailJob", onExitCodes: { containerName: "topics", operator: "In", values: [3] } }]);
        assert.equal(spec.backoffLimit, 4);
    });
});

describe("Kubernetes: data volumes that ignore fsGroup", () => {
    it("an init container, as root, makes only the mount points the image user's", async () => {
        const rs = await graph(K8S);
        for (const [group, dirs] of [
            ["kafka", "'/var/lib/kafka/data'"],
            ["zookeeper", "'/var/lib/zookeeper/data' '/var/lib/zookeeper/log'"],
        ]) {
            const spec = sts(rs, group).inputs.spec.template.spec;
            const [init] = spec.initContainers;
            assert.equal(init.name, "prepare-volumes");
            assert.equal(init.image, spec.containers[0].image);
            assert.equal(init.securityContext.runAsUser, 0);
            assert.deepEqual(
                init.volumeMounts,
                spec.containers[0].volumeMounts.filter((m: { name: string }) => m.name !== "node-config"),
            );
            assert.match(init.command[2], new RegExp(`for d in ${dirs}; do .* chown 1000:1000 "\\$d"; chmod u\\+rwx "\\$d"; done`));
            assert.doesNotMatch(init.command[2], /chown -R/, "the data below the mount point is never walked");
        }
    });

    it("kubernetes.storage.prepareVolumes: false leaves it out", async () => {
        const rs = await graph({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ storage: { prepareVolumes: false } }) });
        assert.equal(sts(rs, "kafka").inputs.spec.template.spec.initContainers, undefined);
    });

    it("the init command makes a root-owned directory the image user's (run as root, as in the pod)", async () => {
        const init = sts(await graph(K8S), "kafka").inputs.spec.template.spec.initContainers[0].command[2] as string;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-volume-"));
        try {
            fs.chmodSync(dir, 0o755);
            const r = spawnSync("bash", ["-c", init.replace("'/var/lib/kafka/data'", `'${dir}'`)], { encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
            const st = fs.statSync(dir);
            assert.deepEqual([st.uid, st.gid, st.mode & 0o700], [1000, 1000, 0o700]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("Kubernetes: a broker is ready when it has caught up", () => {
    let probe: string;
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-probe-"));
    before(async () => {
        probe = sts(await graph(K8S), "kafka").inputs.spec.template.spec.containers[0].readinessProbe.exec.command[2];
    });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));

    /** Runs the probe in pod `kafka-dev-kafka-<ordinal>` with a `kafka-topics` that prints `out` and exits `code`. */
    function run(ordinal: number, out: string, code = 0) {
        fs.writeFileSync(path.join(bin, "kafka-topics"), `#!/bin/bash\necho "$*" > ${bin}/args\ncat <<'EOF'\n${out}\nEOF\nexit ${code}\n`, { mode: 0o755 });
        const r = spawnSync("bash", ["-c", probe], { env: { PATH: `${bin}:/usr/bin:/bin`, HOSTNAME: `kafka-dev-kafka-${ordinal}` }, encoding: "utf8" });
        return { status: r.status, stdout: r.stdout, args: fs.readFileSync(path.join(bin, "args"), "utf8").trim() };
    }
    const line = (p: number, replicas: string, isr: string) =>
        `\tTopic: orders\tPartition: ${p}\tLeader: 1\tReplicas: ${replicas}\tIsr: ${isr}\tElr: \tLastKnownElr: `;

    it("asks its own listener for under-replicated partitions", () => {
        assert.equal(run(0, "").args, "--bootstrap-server localhost:29092 --describe --under-replicated-partitions");
    });

    it("ready with no under-replicated partition, or when only others lag", () => {
        assert.equal(run(1, "").status, 0);
        // Pod ordinal 1 is broker 2: in the ISR of everything it holds; broker 3 lags, not its problem.
        assert.equal(run(1, [line(0, "1,2,3", "1,2"), line(1, "3,1,4", "1,4")].join("\n")).status, 0);
    });

    it("not ready while it is out of the ISR of a partition it holds, and says which", () => {
        const r = run(2, [line(0, "1,2,3", "1,2"), line(4, "2,1,4", "2,1,4")].join("\n"));
        assert.equal(r.status, 1);
        assert.match(r.stdout, /not in sync: .*Partition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2/);
        // 13 and 31 are not 3.
        assert.equal(run(2, line(0, "13,31", "13")).status, 0);
    });

    it("not ready when the broker does not answer", () => {
        assert.equal(run(0, "", 1).status, 1);
    });
});
