/**
 * `kafka-env:kubernetes:KafkaCluster`: the cluster model in a Kubernetes namespace.
 *
 * A provider (the user's kubeconfig and context, or rendering to a directory), the namespace,
 * one ConfigMap of per-node settings, and per node group (zookeeper, controller, kafka) a headless
 * Service, a StatefulSet and a PodDisruptionBudget; optional per-broker external Services;
 * kafka-ui; and topics through an in-cluster Job or @pulumi/kafka.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, bootstrapSubset } from "../model";
import { topicScript } from "../model/topicScript";
import { KafkaTopics } from "../kafka/topics";
import { ClusterOutputs, outputsOf } from "../outputs";
import { loadBalancerPlaceholder, names } from "./addressing";
import { ResolvedKubernetes } from "./config";
import {
    disruptionBudget,
    externalService,
    headlessService,
    kafkaUiDeployment,
    kafkaUiService,
    nodeConfigMap,
    nodeGroups,
    statefulSet,
    topicsJob,
} from "./manifests";

export interface KubernetesKafkaClusterArgs {
    /** The validated cluster model (built with `kubernetesAddressing`). */
    readonly model: ClusterModel;
    readonly kubernetes: ResolvedKubernetes;
    /** kafka-ui login password, from the secret `kafka-env:kafkaUiPassword`. Default: none. */
    readonly kafkaUiPassword?: pulumi.Input<string>;
}

export class KubernetesKafkaCluster extends pulumi.ComponentResource implements ClusterOutputs {
    public readonly bootstrapServers: pulumi.Output<string>;
    public readonly internalBootstrapServers: pulumi.Output<string>;
    public readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    public readonly zookeeperConnect: pulumi.Output<string | undefined>;
    public readonly provider: k8s.Provider;
    /** StatefulSets by group (`zookeeper`, `controller`, `kafka`). */
    public readonly statefulSets: Readonly<Record<string, k8s.apps.v1.StatefulSet>>;
    public readonly topics?: KafkaTopics | k8s.batch.v1.Job;

    constructor(name: string, args: KubernetesKafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kafka-env:kubernetes:KafkaCluster", name, {}, opts);
        const { model, kubernetes: k } = args;
        const env = model.name;

        this.provider = new k8s.Provider(
            `${env}-kubernetes`,
            {
                kubeconfig: k.kubeconfig,
                context: k.context,
                renderYamlToDirectory: k.renderDirectory,
            },
            { parent: this },
        );
        const child = { parent: this, provider: this.provider };

        const namespace: pulumi.Input<string> = k.createNamespace
            ? new k8s.core.v1.Namespace(`${env}-namespace`, { metadata: { name: k.namespace } }, child).metadata.name
            : k.namespace;

        // LoadBalancer addresses exist only once the Services do: substitute them into the model's text.
        const externalServices = k.external.type === "none"
            ? []
            : model.nodes
                  .filter((n) => n.roles.includes("broker"))
                  .map((broker, i) => new k8s.core.v1.Service(names.externalService(env, broker.name), externalService(env, namespace, broker, k, i), child));
        const lbHosts = externalServices.map((s) =>
            s.status.loadBalancer.ingress.apply((ingress) => ingress?.[0]?.ip ?? ingress?.[0]?.hostname ?? ""),
        );
        const withAddresses = (text: string): pulumi.Output<string> =>
            k.external.type === "LoadBalancer"
                ? pulumi.all(lbHosts).apply((hosts) => hosts.reduce((t, h, i) => t.split(loadBalancerPlaceholder(i)).join(h), text))
                : pulumi.output(text);

        const configMap = new k8s.core.v1.ConfigMap(`${env}-nodes`, nodeConfigMap(env, namespace, model, withAddresses), child);

        const statefulSets: Record<string, k8s.apps.v1.StatefulSet> = {};
        for (const g of nodeGroups(model)) {
            new k8s.core.v1.Service(names.headless(env, g.group), headlessService(env, namespace, g), child);
            // Brokers start once ZooKeeper is ready; KRaft groups start together (they need each other).
            const dependsOn = g.group !== "zookeeper" && statefulSets.zookeeper ? [statefulSets.zookeeper] : [];
            statefulSets[g.group] = new k8s.apps.v1.StatefulSet(
                names.statefulSet(env, g.group),
                statefulSet(env, namespace, g, k, configMap.metadata.name),
                { ...child, dependsOn },
            );
            new k8s.policy.v1.PodDisruptionBudget(`${names.statefulSet(env, g.group)}-pdb`, disruptionBudget(env, namespace, g), child);
        }
        this.statefulSets = statefulSets;
        const brokers = statefulSets.kafka;

        let kafkaUiUrl: string | undefined;
        if (model.kafkaUi) {
            const ui = model.kafkaUi;
            let passwordSecret: pulumi.Input<string> | undefined;
            if (ui.username !== undefined && args.kafkaUiPassword !== undefined) {
                passwordSecret = new k8s.core.v1.Secret(
                    `${env}-kafka-ui-login`,
                    { metadata: { name: `${env}-kafka-ui-login`, namespace }, stringData: { password: pulumi.secret(args.kafkaUiPassword) } },
                    child,
                ).metadata.name;
            }
            new k8s.apps.v1.Deployment(`${env}-kafka-ui`, kafkaUiDeployment(env, namespace, ui, k, passwordSecret), child);
            new k8s.core.v1.Service(`${env}-kafka-ui`, kafkaUiService(env, namespace, ui), child);
            kafkaUiUrl = `http://${env}-kafka-ui.${k.namespace}.svc.${k.clusterDomain}:${ui.port}`;
        }

        const external = model.bootstrapServers.length > 0;
        this.internalBootstrapServers = pulumi.output(model.internalBootstrapServers.join(","));
        this.bootstrapServers = external ? withAddresses(model.bootstrapServers.join(",")) : this.internalBootstrapServers;
        if (model.topics.length > 0) {
            if (k.topics === "job") {
                this.topics = new k8s.batch.v1.Job(
                    `${env}-topics`,
                    topicsJob(env, namespace, model.nodes.find((n) => n.roles.includes("broker"))!.image, topicScript(model.topics, bootstrapSubset(model.internalBootstrapServers))),
                    // The Job's template is immutable: a changed topic list replaces it (old one first: same name).
                    { ...child, dependsOn: [brokers], deleteBeforeReplace: true },
                );
            } else {
                this.topics = new KafkaTopics(
                    `${env}-topics`,
                    {
                        bootstrapServers: this.bootstrapServers.apply((s) => s.split(",")),
                        topics: model.topics,
                        brokersReady: [brokers, ...externalServices],
                    },
                    { parent: this },
                );
            }
        }

        this.kafkaUiUrl = pulumi.output(kafkaUiUrl);
        this.zookeeperConnect = pulumi.output(model.zookeeperConnect);
        this.registerOutputs(outputsOf(this));
    }
}
