/**
 * `kafka-env:docker:KafkaCluster`: the cluster model on a Docker-compatible engine.
 *
 * One network, one pinned image resource per distinct image, one container (with named volumes)
 * per node, and kafka-ui. Every container waits for its healthcheck, so whatever depends on
 * `brokers` (topics) starts only once every broker answers.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel } from "../model";
import { ClusterOutputs, outputsOf } from "../outputs";
import { envList, labels, nodeContainer, portMapping } from "./node";

export interface DockerKafkaClusterArgs {
    /** The validated cluster model (built with `dockerAddressing`). */
    readonly model: ClusterModel;
    /** kafka-ui login password, from the secret `kafka-env:kafkaUiPassword`. Default: none. */
    readonly kafkaUiPassword?: pulumi.Input<string>;
    /** Seconds each container may take to become healthy. Default: 300. */
    readonly waitTimeout?: number;
}

export class DockerKafkaCluster extends pulumi.ComponentResource implements ClusterOutputs {
    public readonly bootstrapServers: pulumi.Output<string>;
    public readonly internalBootstrapServers: pulumi.Output<string>;
    public readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    public readonly zookeeperConnect: pulumi.Output<string | undefined>;
    /** The network every node joins. */
    public readonly network: docker.Network;
    /** Containers by node name, in model order. */
    public readonly containers: Readonly<Record<string, docker.Container>>;
    /** The broker containers: healthy once they exist. */
    public readonly brokers: readonly docker.Container[];

    constructor(name: string, args: DockerKafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kafka-env:docker:KafkaCluster", name, {}, opts);
        const { model } = args;
        const waitTimeout = args.waitTimeout ?? 300;
        const child = { parent: this };

        this.network = new docker.Network(
            `${model.name}-network`,
            { name: model.name, driver: "bridge", labels: labels(model.name, "network") },
            // Podman reports IPAM options (`driver: host-local`) nobody set: not a reason to replace the network.
            { ...child, ignoreChanges: ["ipamOptions"] },
        );

        const images = new Map<string, docker.RemoteImage>();
        const image = (ref: string) => {
            if (!images.has(ref)) {
                // keepLocally: a `pulumi destroy` must not delete images other stacks or projects use.
                images.set(ref, new docker.RemoteImage(`${model.name}-image-${slug(ref)}`, { name: ref, keepLocally: true }, child));
            }
            return images.get(ref)!.imageId;
        };

        const containers: Record<string, docker.Container> = {};
        const zookeepers: docker.Container[] = [];
        for (const node of model.nodes) {
            // Brokers start after ZooKeeper is healthy; KRaft nodes start together (they need each other).
            const dependsOn = node.roles.includes("zookeeper") ? [] : zookeepers;
            const container = nodeContainer(
                { environment: model.name, node, image: image(node.image), network: this.network.name, waitTimeout },
                { parent: this, dependsOn },
            );
            containers[node.name] = container;
            if (node.roles.includes("zookeeper")) zookeepers.push(container);
        }
        this.containers = containers;
        this.brokers = model.nodes.filter((n) => n.roles.includes("broker")).map((n) => containers[n.name]);

        let kafkaUiUrl: string | undefined;
        if (model.kafkaUi) {
            const ui = model.kafkaUi;
            const secretEnv =
                ui.username !== undefined && args.kafkaUiPassword !== undefined
                    ? pulumi.secret({ SPRING_SECURITY_USER_PASSWORD: args.kafkaUiPassword })
                    : undefined;
            new docker.Container(
                `${model.name}-${ui.name}`,
                {
                    name: `${model.name}-${ui.name}`,
                    hostname: ui.name,
                    image: image(ui.image),
                    envs: envList(ui.env, secretEnv),
                    networksAdvanced: [{ name: this.network.name, aliases: [ui.name] }],
                    ports: [portMapping(ui.published)],
                    restart: "unless-stopped",
                    labels: labels(model.name, ui.name),
                },
                { parent: this, dependsOn: this.brokers as docker.Container[] },
            );
            const host = ui.published.hostIp === "0.0.0.0" ? "localhost" : ui.published.hostIp;
            kafkaUiUrl = `http://${host}:${ui.published.hostPort}`;
        }

        this.bootstrapServers = pulumi.output(model.bootstrapServers.join(","));
        this.internalBootstrapServers = pulumi.output(model.internalBootstrapServers.join(","));
        this.kafkaUiUrl = pulumi.output(kafkaUiUrl);
        this.zookeeperConnect = pulumi.output(model.zookeeperConnect);
        this.registerOutputs(outputsOf(this));
    }
}

/** `confluentinc/cp-kafka:7.9.3` -> `confluentinc-cp-kafka-7.9.3`: a stable resource name per image. */
export function slug(image: string): string {
    return image.replace(/[^a-zA-Z0-9.]+/g, "-");
}
