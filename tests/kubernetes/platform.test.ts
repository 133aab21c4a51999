/**
 * What a platform team reads in the graph, under mocks: NetworkPolicies port by port (from the
 * model's listeners), rack awareness (the init step, its token and RBAC), topology spread, and the
 * scheduling and exposure knobs of `kubernetes.pods` and `kubernetes.external`.
 */
import { strict as assert } from "node:assert";
import { JobPlace, toolJob } from "../../components/kubernetes/jobs";
import { Recorded, runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";
import { TYPES, byType } from "../harness";

const K8S = stackConfig("k8s");
const graph = async (config: Record<string, string>) => (await runProgram(config, "k8s")).resources;
const withK8s = (config: Record<string, string>, k: object) => ({
    ...config,
    "kafka-env:kubernetes": JSON.stringify({ ...JSON.parse(config["kafka-env:kubernetes"] ?? "{}"), ...k }),
});
const KRAFT_DEDICATED = withCluster(K8S, (c) => {
    c.mode = "kraft";
    delete c.zookeeper;
    c.kraft = { dedicatedControllers: true };
});
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const podSpec = (rs: readonly Recorded[], group: string) => byType(rs, TYPES.statefulSet).get(`kafka-dev-${group}`)!.inputs.spec.template.spec;
/** A policy's rules as `port <- sources`, for reading. */
function rules(rs: readonly Recorded[], name: string): string[] {
    const policy = byType(rs, POLICY).get(`${name}-policy`)!.inputs.spec;
    assert.deepEqual(policy.policyTypes, ["Ingress"]);
    const peer = (p: any) =>
        p.ipBlock
            ? `cidr ${p.ipBlock.cidr}`
            : p.namespaceSelector
              ? `ns ${p.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]}`
              : p.podSelector.matchLabels
                ? `pods ${p.podSelector.matchLabels["app.kubernetes.io/component"]}`
                : p.podSelector.matchExpressions
                  ? `pods ${p.podSelector.matchExpressions.map((e: any) => e.values.join("|")).join(" ")}`
                  : "own namespace";
    return policy.ingress.map((r: any) => `${r.ports.map((p: any) => p.port).join(",")} <- ${r.from ? r.from.map(peer).join(", ") : "anywhere"}`);
}

describe("Kubernetes: NetworkPolicies from the model's listeners", () => {
    it("ZooKeeper mode: clients on the brokers' listener from the namespace and the listed ones; ZooKeeper from the brokers only", async () => {
        const rs = await graph(withK8s(K8S, { networkPolicy: { clientNamespaces: ["apps"], clientCidrs: ["10.1.0.0/16"], kafkaUiNamespaces: ["ops"] } }));
        assert.deepEqual(rules(rs, "kafka-dev-kafka"), ["29092 <- own namespace, ns apps, cidr 10.1.0.0/16"]);
        assert.deepEqual(rules(rs, "kafka-dev-zookeeper"), ["2181 <- pods kafka", "2888,3888 <- pods zookeeper"]);
        assert.deepEqual(rules(rs, "kafka-dev-kafka-ui"), ["8080 <- own namespace, ns ops"]);
    });

    it("KRaft: the controllers' listener only from the cluster's own Kafka nodes; the external listener from its source ranges", async () => {
        const rs = await graph(withK8s(KRAFT_DEDICATED, { external: { type: "NodePort", advertisedHost: "node-1", sourceRanges: ["203.0.113.0/24"] } }));
        assert.deepEqual(rules(rs, "kafka-dev-kafka"), ["29092 <- own namespace", "9092 <- cidr 203.0.113.0/24"]);
        assert.deepEqual(rules(rs, "kafka-dev-controller"), ["29093 <- pods kafka-dev kafka|controller"]);
        const combined = await graph(withCluster(K8S, (c) => ((c.mode = "kraft"), delete c.zookeeper)));
        assert.deepEqual(rules(combined, "kafka-dev-kafka"), ["29092 <- own namespace", "29093 <- pods kafka-dev kafka|controller"]);
    });

    it("metrics from the namespace and metricsNamespaces; none at all with networkPolicy.enabled false", async () => {
        const rs = await graph(withK8s(K8S, { networkPolicy: { metricsNamespaces: ["monitoring"] } }));
        assert.equal(byType(rs, POLICY).size, 3);
        assert.equal(byType(await graph(withK8s(K8S, { networkPolicy: { enabled: false } })), POLICY).size, 0);
    });
});

describe("Kubernetes: zones", () => {
    it("spreads each group over zones, then hosts (preferred)", async () => {
        const spec = podSpec(await graph(K8S), "kafka");
        assert.deepEqual(
            spec.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.maxSkew, t.whenUnsatisfiable]),
            [
                ["topology.kubernetes.io/zone", 1, "ScheduleAnyway"],
                ["kubernetes.io/hostname", 1, "ScheduleAnyway"],
            ],
        );
        assert.deepEqual(spec.topologySpreadConstraints[0].labelSelector.matchLabels["app.kubernetes.io/component"], "kafka");
    });

    it("rack.enabled: an init step writes broker.rack from the node's label, with a token only it mounts, and RBAC to get nodes", async () => {
        const rs = await graph(withK8s(K8S, { rack: { enabled: true, image: "kubectl:1", closestReplicaFetching: true } }));
        const spec = podSpec(rs, "kafka");
        const rack = spec.initContainers.find((c: any) => c.name === "rack");
        assert.equal(rack.image, "kubectl:1");
        assert.match(
            rack.command[2],
            /kubectl --cache-dir=\/kafka-env\/\.kube-cache get node "\$NODE_NAME" -o 'jsonpath=\{\.metadata\.labels\.topology\\\.kubernetes\\\.io\/zone\}'/,
        );
        assert.deepEqual(rack.env, [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }]);
        assert.ok(rack.volumeMounts.some((m: any) => m.name === "rack-token"));
        assert.ok(!spec.containers[0].volumeMounts.some((m: any) => m.name === "rack-token"), "the broker has no token");
        assert.equal(spec.automountServiceAccountToken, false);
        assert.equal(spec.serviceAccountName, "kafka-dev-kafka");
        assert.match(spec.containers[0].command[2], /if \[ -s \/kafka-env\/rack\.env \]; then \. \/kafka-env\/rack\.env; fi/);
        assert.equal(
            podSpec(rs, "zookeeper").initContainers.some((c: any) => c.name === "rack"),
            false,
        );
        const role = byType(rs, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").get("kafka-env-kafka-kafka-dev-nodes")!.inputs;
        assert.deepEqual(role.rules, [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }]);
        const binding = byType(rs, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").get("kafka-env-kafka-kafka-dev-nodes")!.inputs;
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "kafka-dev-kafka", namespace: "kafka" }]);
        const sts = byType(rs, TYPES.statefulSet).get("kafka-dev-kafka")!;
        assert.ok(
            sts.options!.dependsOn.some((u) => u.endsWith("ClusterRoleBinding::kafka-env-kafka-kafka-dev-nodes")),
            "brokers start once they may read nodes",
        );
        // closestReplicaFetching: the brokers' selector.
        const files = byType(rs, TYPES.configMap).get("kafka-dev-kafka-settings")!.inputs.data;
        assert.match(Object.values(files).join(), /KAFKA_REPLICA_SELECTOR_CLASS="org\.apache\.kafka\.common\.replica\.RackAwareReplicaSelector"/);
    });
});

describe("Kubernetes: scheduling and exposure knobs", () => {
    const knobs = {
        pods: {
            nodeSelector: { pool: "kafka" },
            tolerations: [{ key: "dedicated", operator: "Equal", value: "kafka", effect: "NoSchedule" }],
            priorityClassName: "kafka-critical",
            serviceAccountName: "kafka-runner",
            imagePullSecrets: ["registry"],
            labels: { team: "data" },
            annotations: { "example.com/owner": "data" },
        },
        external: { type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }, sourceRanges: ["10.0.0.0/8"] },
    };
    let rs: Recorded[];
    before(async () => {
        rs = await graph(withK8s({ ...K8S, "kafka-env:kubernetes": "{}" }, knobs));
    });

    it("every pod: node selector, tolerations, pull secrets, extra labels and annotations", () => {
        const templates = [TYPES.statefulSet, TYPES.deployment, TYPES.job].flatMap((t) => [...byType(rs, t).values()].map((r) => r.inputs.spec.template));
        assert.equal(templates.length, 4);
        for (const t of templates) {
            assert.deepEqual(t.spec.nodeSelector, { pool: "kafka" });
            assert.deepEqual(t.spec.tolerations, knobs.pods.tolerations);
            assert.deepEqual(t.spec.imagePullSecrets, [{ name: "registry" }]);
            assert.equal(t.metadata.labels.team, "data");
            assert.equal(t.metadata.annotations["example.com/owner"], "data");
        }
    });

    it("the day-2 tool Jobs too: the steps carry the scheduling into each Job they run", () => {
        const drain = byType(rs, "pulumi-nodejs:dynamic/kafka-env:BrokerDrain").get("kafka-dev-brokers-drain")!.inputs;
        const spec: any = toolJob(drain as JobPlace, "kafka-dev-drain-1", "true").spec.template.spec;
        assert.deepEqual(spec.nodeSelector, { pool: "kafka" });
        assert.deepEqual(spec.imagePullSecrets, [{ name: "registry" }]);
        assert.equal(spec.containers[0].securityContext.allowPrivilegeEscalation, false);
    });

    it("the nodes' pods: priority class and ServiceAccount; the settings hash annotation kept", () => {
        for (const group of ["kafka", "zookeeper"]) {
            const t = byType(rs, TYPES.statefulSet).get(`kafka-dev-${group}`)!.inputs.spec.template;
            assert.equal(t.spec.priorityClassName, "kafka-critical");
            assert.equal(t.spec.serviceAccountName, "kafka-runner");
            assert.match(t.metadata.annotations["kafka-env.io/settings-hash"], /^[0-9a-f]{10}$/);
        }
    });

    it("LoadBalancer Services: annotations and loadBalancerSourceRanges", () => {
        const ext = byType(rs, TYPES.service).get("kafka-dev-kafka-1-external")!.inputs;
        assert.deepEqual(ext.metadata.annotations, knobs.external.annotations);
        assert.deepEqual(ext.spec.loadBalancerSourceRanges, ["10.0.0.0/8"]);
        assert.equal(ext.spec.type, "LoadBalancer");
    });
});
