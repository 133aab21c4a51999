/**
 * The brokers' settings files on Kubernetes are templates over the pod's ordinal
 * (components/model/nodeTemplates.ts). Run by bash as the pods run them, each must give every node
 * exactly the environment the model gives it; and a broker more of the same kind must leave them
 * unchanged (no roll), while any real change of settings changes them (a roll).
 */
import { strict as assert } from "node:assert";
import { kubernetesAddressing } from "../../components/kubernetes/addressing";
import { resolveKubernetes } from "../../components/kubernetes/config";
import { nodeCommand, nodeGroups } from "../../components/kubernetes/nodes";
import { ClusterModel, buildModel, resolve, resolveConfig } from "../../components/model";
import { groupTemplates } from "../../components/model/nodeTemplates";
import { podEnv } from "./podEnv";

type Cluster = Record<string, any>;
const COMMAND = nodeCommand();

function model(cluster: Cluster, kubernetes: Cluster = {}, validated = true): ClusterModel {
    const config = validated ? resolveConfig({ cluster, stack: "test", hasKafkaUiPassword: false }) : resolve(cluster, { stack: "test" });
    return buildModel(config, kubernetesAddressing(config, resolveKubernetes("ns1", kubernetes, config.brokers).config));
}

/** The brokers' files (the `kafka` StatefulSet's ConfigMap data). */
const brokerFiles = (m: ClusterModel) => groupTemplates(nodeGroups(m).find((g) => g.group === "kafka")!.nodes);

/**
 * Built without validation: validation refuses this heapOpts (the image's launcher splits it at the
 * space, and the JVM would take `b"` for its main class), yet the templates must carry any string as it is.
 */
const SHELL_CHARACTERS = "values with shell characters";
const ZK = { name: "env", mode: "zookeeper", brokers: 4, replication: { defaultReplicationFactor: 3 } };
const KRAFT = { name: "env", mode: "kraft", brokers: 5, kraft: { controllers: 3 } };
const NODE_PORT = { external: { type: "NodePort", advertisedHost: "10.1.2.3", nodePortBase: 31000 } };
const CASES: [string, Cluster, Cluster?][] = [
    ["ZooKeeper, one ZooKeeper node", ZK],
    ["ZooKeeper, a 3-node ensemble, NodePorts", { ...ZK, zookeeper: { nodes: 3 } }, NODE_PORT],
    ["ZooKeeper, LoadBalancers", ZK, { external: { type: "LoadBalancer" } }],
    ["KRaft, combined (3 broker-controllers, 2 brokers), NodePorts", KRAFT, NODE_PORT],
    ["KRaft, dedicated controllers", { ...KRAFT, kraft: { dedicatedControllers: true, controllers: 3 } }, NODE_PORT],
    [SHELL_CHARACTERS, { ...ZK, heapOpts: `-Xmx1g -Dx="a b" -Dy='$HOME' -Dz=\`id\` -Dw=\\n` }],
];

describe("Kubernetes node settings as templates over the ordinal", () => {
    for (const [what, cluster, kubernetes] of CASES) {
        it(`${what}: every pod exports exactly its node's environment`, () => {
            const m = model(cluster, kubernetes, what !== SHELL_CHARACTERS);
            for (const g of nodeGroups(m)) {
                const files = groupTemplates(g.nodes);
                g.nodes.forEach((node, ordinal) => {
                    assert.deepEqual(podEnv(COMMAND, files, `env-${g.group}-${ordinal}`), node.env, `${g.group} pod ${ordinal} (${node.name})`);
                });
            }
        });
    }

    it("one file serves every broker of one kind: ZooKeeper mode, KRaft with dedicated controllers", () => {
        for (const base of [ZK, { ...KRAFT, kraft: { dedicatedControllers: true, controllers: 3 } }]) {
            const files = (brokers: number) => brokerFiles(model({ ...base, brokers }, NODE_PORT));
            assert.deepEqual(Object.keys(files(3)), ["from-ordinal-0.env"]);
            assert.deepEqual(files(4), files(3));
            assert.deepEqual(files(9), files(3));
        }
    });

    it("KRaft, combined: the broker-controllers' file, then the broker-only nodes' file from ordinal 3", () => {
        const files = (brokers: number) => brokerFiles(model({ ...KRAFT, brokers }));
        assert.deepEqual(Object.keys(files(3)), ["from-ordinal-0.env"]);
        assert.deepEqual(Object.keys(files(4)), ["from-ordinal-0.env", "from-ordinal-3.env"]);
        assert.deepEqual(files(7), files(4));
    });

    it("a LoadBalancer address is the broker's own: each broker has its file", () => {
        assert.equal(Object.keys(brokerFiles(model(ZK, { external: { type: "LoadBalancer" } }))).length, 4);
    });

    it("a settings change or another NodePort base changes the files", () => {
        const base = brokerFiles(model(ZK, NODE_PORT));
        assert.notDeepEqual(brokerFiles(model({ ...ZK, replication: { ...ZK.replication, numPartitions: 6 } }, NODE_PORT)), base);
        assert.notDeepEqual(brokerFiles(model(ZK, { external: { ...NODE_PORT.external, nodePortBase: 31100 } })), base);
        assert.notDeepEqual(brokerFiles(model(ZK, { external: { ...NODE_PORT.external, advertisedHost: "10.1.2.4" } })), base);
        assert.notDeepEqual(brokerFiles(model(ZK)), base);
    });
});
