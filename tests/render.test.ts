import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { render } from "../tools/render/cli";
import { fileFor, manifestsOf } from "../tools/render/manifests";
import { Recorded } from "../tools/graph/mocks";

const ROOT = path.join(__dirname, "..");
const CLI = path.join(ROOT, "tools", "render", "cli.ts");

/** Runs `npm run render:k8s`'s program in a child with an empty PATH (no `pulumi`, no `docker`), a fresh HOME, and no network when a network namespace can be had. */
function renderOffline(args: string[], isolated: boolean) {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-render-home-"));
    const node = [process.execPath, "-r", "ts-node/register/transpile-only", CLI, ...args];
    const [command, ...argv] = isolated ? ["/usr/bin/unshare", "-rn", ...node] : node;
    const env = {
        PATH: empty,
        HOME: empty,
        PULUMI_HOME: empty,
        // Anything that still tried to download would go nowhere.
        HTTP_PROXY: "http://127.0.0.1:9",
        HTTPS_PROXY: "http://127.0.0.1:9",
    };
    const run = spawnSync(command, argv, { cwd: ROOT, env, encoding: "utf8", timeout: 60000 });
    fs.rmSync(empty, { recursive: true, force: true });
    return run;
}

/** Whether this machine lets a process drop its network (a user + network namespace). */
function networkNamespaces(): boolean {
    return fs.existsSync("/usr/bin/unshare") && spawnSync("/usr/bin/unshare", ["-rn", "true"]).status === 0;
}

describe("npm run render:k8s", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-rendered-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("renders the k8s stack with no network, no pulumi on PATH and no plugin", function () {
        this.timeout(60000);
        const isolated = networkNamespaces();
        const run = renderOffline(["k8s", "--out", out], isolated);
        assert.equal(run.status, 0, `${isolated ? "in a network namespace" : "no network namespace here"}:\n${run.stderr}`);
        const files = fs.readdirSync(path.join(out, "1-manifest")).sort();
        assert.equal(files.length, 16);
        assert.ok(files.includes("apps_v1-statefulset-kafka-kafka-dev-kafka.yaml"), files.join("\n"));
        const sts = parse(fs.readFileSync(path.join(out, "1-manifest", "apps_v1-statefulset-kafka-kafka-dev-kafka.yaml"), "utf8"));
        assert.equal(sts.spec.replicas, 3);
        assert.match(
            run.stdout,
            /^rendered 16 manifests of stack k8s to \S+\/ \(2 ConfigMap, 1 Deployment, 1 Job, 1 Namespace, 3 NetworkPolicy, 2 PodDisruptionBudget, 4 Service, 2 StatefulSet\), offline under mocks$/m,
        );
    });

    it("fails loudly, with the reason, for a stack that does not exist", function () {
        this.timeout(60000);
        const run = renderOffline(["nosuch", "--out", out], false);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /^render:k8s failed: no stack file Pulumi\.nosuch\.yaml in /);
    });

    it("refuses a Docker stack: it has no manifests", async () => {
        await assert.rejects(render(ROOT, "dev", out), /stack dev deploys to "docker": only a Kubernetes stack has manifests/);
    });

    it("lists every config problem, and what rendering cannot do", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-env-render-bad-"));
        try {
            fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  kafka-env:target: kubernetes\n  kafka-env:cluster:\n    brokers: 0\n");
            await assert.rejects(render(dir, "bad", out), /cluster\.brokers: is 0/);
            const lb = "config:\n  kafka-env:target: kubernetes\n  kafka-env:kubernetes:\n    external:\n      type: LoadBalancer\n";
            fs.writeFileSync(path.join(dir, "Pulumi.lb.yaml"), lb);
            await assert.rejects(render(dir, "lb", out), /renderDirectory cannot render them/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("rendered manifests", () => {
    const object = (kind: string, apiVersion: string, namespace?: string) => ({ apiVersion, kind, metadata: { name: "x", namespace } });

    it("are named and laid out as pulumi-kubernetes renders them", () => {
        assert.equal(fileFor(object("StatefulSet", "apps/v1", "kafka")), "1-manifest/apps_v1-statefulset-kafka-x.yaml");
        assert.equal(fileFor(object("Namespace", "v1")), "1-manifest/v1-namespace-default-x.yaml");
        assert.equal(
            fileFor(object("CustomResourceDefinition", "apiextensions.k8s.io/v1")),
            "0-crd/apiextensions.k8s.io_v1-customresourcedefinition-default-x.yaml",
        );
    });

    it("hold Kubernetes objects only, with secret values written out as the provider writes them", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { password: "s3cret" } };
        const resources: Recorded[] = [
            { type: "pulumi:providers:kubernetes", name: "p", inputs: { renderYamlToDirectory: "out" } },
            { type: "pulumi-nodejs:dynamic/kafka-env:ClusterGuard", name: "g", inputs: {} },
            { type: "kubernetes:core/v1:Secret", name: "s", inputs: { ...object("Secret", "v1", "kafka"), stringData: secret } },
        ];
        assert.deepEqual(manifestsOf(resources), [
            { file: "1-manifest/v1-secret-kafka-x.yaml", kind: "Secret", object: { ...object("Secret", "v1", "kafka"), stringData: { password: "s3cret" } } },
        ]);
    });
});
