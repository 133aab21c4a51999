/**
 * Pod Security `restricted` by default, under mocks: every container of every pod kafka-env makes,
 * the namespace's label, the writable directories of a read-only root, the opt-in root step for
 * volumes that ignore fsGroup (run for real as root), and the node that stops at once, naming the
 * pod, the directory and the setting, when its data directory is not writable (run for real).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WRITABLE_DIRS } from "../../components/kubernetes/podSecurity";
import { Recorded, runProgram, stackConfig } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";
import { planProblems } from "../planProblems";

const K8S = stackConfig("k8s");
const graph = async (config: Record<string, string>) => (await runProgram(config, "k8s")).resources;
const sts = (rs: readonly Recorded[], group: string) => byType(rs, TYPES.statefulSet).get(`kafka-dev-${group}`)!;
const withK8s = (k: object) => ({ ...K8S, "kafka-env:kubernetes": JSON.stringify({ ...JSON.parse(K8S["kafka-env:kubernetes"] ?? "{}"), ...k }) });
const PREPARE = withK8s({ storage: { prepareVolumes: true }, podSecurity: { enforce: "baseline" } });

/** Every pod template of the graph: the StatefulSets', kafka-ui's and the topics Job's. */
function podSpecs(rs: readonly Recorded[]): [string, any][] {
    return [TYPES.statefulSet, TYPES.deployment, TYPES.job].flatMap((t) =>
        [...byType(rs, t)].map(([name, r]) => [name, r.inputs.spec.template.spec] as [string, any]),
    );
}

describe("Kubernetes: Pod Security restricted by default", () => {
    let rs: Recorded[];
    before(async () => {
        rs = await graph(K8S);
    });

    it("labels the namespace it creates to enforce restricted", () => {
        const ns = [...byType(rs, TYPES.namespace).values()][0].inputs.metadata;
        assert.deepEqual(ns.labels, { "pod-security.kubernetes.io/enforce": "restricted" });
    });

    it("every container: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp", () => {
        for (const [name, spec] of podSpecs(rs)) {
            assert.equal(spec.securityContext.runAsNonRoot, true, name);
            assert.equal(spec.securityContext.runAsUser, 1000, `${name}: a numeric user, so the kubelet can check non-root`);
            assert.equal(spec.automountServiceAccountToken, false, name);
            for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
                const sc = c.securityContext;
                assert.equal(sc.allowPrivilegeEscalation, false, `${name}/${c.name}`);
                assert.deepEqual(sc.capabilities, { drop: ["ALL"] }, `${name}/${c.name}`);
                assert.deepEqual(sc.seccompProfile, { type: "RuntimeDefault" }, `${name}/${c.name}`);
                assert.notEqual(sc.runAsUser, 0, `${name}/${c.name}`);
            }
        }
    });

    it("nodes and kafka-ui have a read-only root; what the images write is an emptyDir, filled with the image's own content first", () => {
        for (const group of ["kafka", "zookeeper"]) {
            const spec = sts(rs, group).inputs.spec.template.spec;
            assert.equal(spec.containers[0].securityContext.readOnlyRootFilesystem, true);
            const mounts = spec.containers[0].volumeMounts.filter((m: any) => m.name === "scratch").map((m: any) => m.mountPath);
            assert.deepEqual(mounts, [...WRITABLE_DIRS]);
            const init = spec.initContainers.find((c: any) => c.name === "writable-dirs");
            assert.equal(init.image, spec.containers[0].image);
            assert.match(init.command[2], /if \[ -d \/etc\/kafka \]; then cp -Rp \/etc\/kafka\/\. \/kafka-env-scratch\/etc-kafka\/; fi/);
        }
        const ui = byType(rs, TYPES.deployment).get("kafka-dev-kafka-ui")!.inputs.spec.template.spec;
        assert.equal(ui.containers[0].securityContext.readOnlyRootFilesystem, true);
        assert.deepEqual(ui.containers[0].volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
    });

    it("podSecurity.readOnlyRootFilesystem: false keeps the root writable, and only kafka-env's own directory", async () => {
        const spec = sts(await graph(withK8s({ podSecurity: { readOnlyRootFilesystem: false } })), "kafka").inputs.spec.template.spec;
        assert.equal(spec.containers[0].securityContext.readOnlyRootFilesystem, false);
        assert.deepEqual(
            spec.containers[0].volumeMounts.filter((m: any) => m.name === "scratch").map((m: any) => m.mountPath),
            ["/kafka-env"],
        );
        assert.equal(spec.initContainers, undefined);
    });
});

describe("Kubernetes: data volumes that ignore fsGroup", () => {
    it("no root step by default; opted in, an init container with CHOWN and FOWNER only makes the mount points the image user's", async () => {
        assert.ok(!sts(await graph(K8S), "kafka").inputs.spec.template.spec.initContainers.some((c: any) => c.name === "prepare-volumes"));
        const rs = await graph(PREPARE);
        assert.equal([...byType(rs, TYPES.namespace).values()][0].inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "baseline");
        for (const [group, dirs] of [
            ["kafka", "'/var/lib/kafka/data'"],
            ["zookeeper", "'/var/lib/zookeeper/data' '/var/lib/zookeeper/log'"],
        ]) {
            const spec = sts(rs, group).inputs.spec.template.spec;
            const [init] = spec.initContainers;
            assert.equal(init.name, "prepare-volumes");
            assert.equal(init.image, spec.containers[0].image);
            assert.equal(init.securityContext.runAsUser, 0);
            assert.deepEqual(init.securityContext.capabilities, { drop: ["ALL"], add: ["CHOWN", "FOWNER"] });
            assert.equal(init.securityContext.allowPrivilegeEscalation, false);
            assert.deepEqual(
                init.volumeMounts,
                spec.containers[0].volumeMounts.filter((m: { name: string }) => !["node-config", "scratch"].includes(m.name)),
            );
            assert.match(init.command[2], new RegExp(`for d in ${dirs}; do .* chown 1000:1000 "\\$d"; chmod u\\+rwx "\\$d"; done`));
            assert.doesNotMatch(init.command[2], /chown -R/, "the data below the mount point is never walked");
        }
    });

    it("restricted with the root step is refused before anything is deployed", () => {
        const problems = planProblems({
            values: { target: "kubernetes", cluster: {}, kubernetes: { storage: { prepareVolumes: true }, podSecurity: { enforce: "restricted" } } },
            stack: "t",
        });
        assert.deepEqual(
            problems.map((p) => p.path),
            ["kubernetes.podSecurity.enforce"],
        );
        assert.match(problems[0].message, /refuses the root init container of storage.prepareVolumes: set enforce to "baseline"/);
    });

    it("the init command makes a root-owned directory the image user's (run as root, as in the pod)", async () => {
        const init = sts(await graph(PREPARE), "kafka").inputs.spec.template.spec.initContainers[0].command[2] as string;
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

    it("without it, a node whose data directory is not writable stops at once naming the pod, the directory and the setting", async () => {
        const command = sts(await graph(K8S), "kafka").inputs.spec.template.spec.containers[0].command[2] as string;
        const check = command.slice(command.indexOf("for d in"), command.indexOf("\ndone") + 5);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-volume-"));
        try {
            fs.chmodSync(dir, 0o555);
            const script = check.replace("'/var/lib/kafka/data'", `'${dir}'`).replace("/dev/termination-log", `${dir}.log`);
            // As the image's user: root may write anywhere.
            const r = spawnSync("setpriv", ["--reuid=1000", "--regid=1000", "--clear-groups", "bash", "-c", script], {
                encoding: "utf8",
                env: { HOSTNAME: "kafka-dev-kafka-0", PATH: "/usr/bin:/bin" },
            });
            assert.equal(r.status, 78, r.stderr);
            assert.match(
                r.stderr,
                new RegExp(`kafka-env: ${dir} is not writable by uid 1000 in pod kafka-dev-kafka-0: .*kubernetes.storage.prepareVolumes: true`),
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            fs.rmSync(`${dir}.log`, { force: true });
        }
    });
});
