/**
 * The plugin package's schema, as `pulumi package get-schema <repo>/plugin` infers it from the
 * `KafkaEnvironment` class and its argument types, built in process by the same analyzer
 * (@pulumi/pulumi's ComponentProvider), without the CLI.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { COMPONENT_FILE, PackageSchema, SchemaProperty, pluginSchema, renderComponentReference } from "../../tools/docs/component-reference";

const ROOT = path.resolve(__dirname, "..", "..");
const PLUGIN = path.join(ROOT, "plugin");
const TOKEN = "kafka-env:index:KafkaEnvironment";

describe("the plugin package's schema (plugin/)", function () {
    // The analyzer type-checks the component's sources: about 3 to 6 s here.
    this.timeout(60_000);
    let schema: PackageSchema;
    before(async () => {
        schema = await pluginSchema(ROOT);
    });

    it("names the package kafka-env at the root package's version, with one component", () => {
        const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        const plugin = JSON.parse(fs.readFileSync(path.join(PLUGIN, "package.json"), "utf8")) as { name: string; version: string };
        assert.deepEqual([schema.name, plugin.name, schema.version, plugin.version], ["kafka-env", "kafka-env", root.version, root.version]);
        assert.deepEqual(Object.keys(schema.resources), [TOKEN]);
    });

    it("takes the stack config's keys as arguments: graph-shaping ones plain, pass-through secrets as inputs", () => {
        const inputs = schema.resources[TOKEN].inputProperties;
        assert.deepEqual(Object.keys(inputs).sort(), [
            "caCertificate",
            "caKey",
            "cluster",
            "kafkaUiPassword",
            "kubernetes",
            "namespace",
            "target",
            "userPasswords",
        ]);
        for (const plain of ["target", "cluster", "namespace", "kubernetes", "userPasswords"]) assert.equal(inputs[plain].plain, true, plain);
        for (const input of ["kafkaUiPassword", "caCertificate", "caKey"]) assert.equal(inputs[input].plain, undefined, input);
        assert.equal(inputs.userPasswords.additionalProperties?.plain, undefined, "each password is an input");
        const k8s = schema.types["kafka-env:index:KubernetesConfig"].properties!;
        for (const input of ["kubeconfig", "context"]) assert.equal(k8s[input].plain, undefined, input);
        assert.equal(schema.types["kafka-env:index:StorageConfig"].properties!.storageClass.plain, undefined);
        assert.equal(schema.types["kafka-env:index:ClusterConfig"].properties!.brokers.plain, true);
    });

    it("has the component's outputs", () => {
        assert.deepEqual(Object.keys(schema.resources[TOKEN].properties).sort(), [
            "adminCredentials",
            "bootstrapServers",
            "caCertificate",
            "certificateExpiry",
            "internalBootstrapServers",
            "kafkaUiUrl",
            "userCredentials",
            "zookeeperConnect",
        ]);
    });

    it("turns the string unions into enums other languages can name", () => {
        const values = (name: string) => schema.types[`kafka-env:index:${name}`].enum?.map((e) => e.value);
        assert.deepEqual(values("Mode"), ["zookeeper", "kraft"]);
        assert.deepEqual(values("Target"), ["docker", "kubernetes"]);
        assert.deepEqual(values("Authentication"), ["none", "scram-sha-256", "scram-sha-512"]);
        assert.deepEqual(values("ExternalType"), ["none", "NodePort", "LoadBalancer"]);
        for (const name of ["AclResource", "AclOperation", "AclPatternType", "AclPermission", "TopicsVia", "PodSecurityLevel", "MonitorKind"]) {
            assert.ok((values(name) ?? []).length >= 2, `${name} is not an enum`);
        }
    });

    it("describes every argument, every output and every field of every type", () => {
        const missing: string[] = [];
        const check = (where: string, props: Record<string, SchemaProperty>) => {
            for (const [name, p] of Object.entries(props)) if (!p.description) missing.push(`${where}.${name}`);
        };
        check("args", schema.resources[TOKEN].inputProperties);
        check("outputs", schema.resources[TOKEN].properties);
        for (const [token, t] of Object.entries(schema.types)) check(token, t.properties ?? {});
        assert.deepEqual(missing, []);
    });

    it("is what docs/component.md says, as `npm run docs` writes it", () => {
        const committed = fs.readFileSync(path.join(ROOT, COMPONENT_FILE), "utf8");
        assert.ok(committed === renderComponentReference(schema), `${COMPONENT_FILE} is stale: run \`npm run docs\` and commit it`);
    });
});
