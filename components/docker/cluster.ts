/**
 * `kafka-env:docker:KafkaCluster`: the cluster model on a Docker-compatible engine.
 *
 * One network, one pinned image resource per distinct image, one container (with named volumes)
 * per node, and kafka-ui. Every container waits for its healthcheck, so whatever depends on
 * `brokers` (topics) starts only once every broker answers.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, NodeModel, bootstrapSubset, isBroker } from "../model";
import { outOfSyncPartitions } from "../model/images";
import { scramJaasConfig } from "../model/security";
import { toolConnection } from "../model/toolConnection";
import { ClusterSecrets, SecurityConfig } from "../security/clusterSecrets";
import { ownCredentialSettings } from "../security/ownCredentials";
import { ROLL_GROUPS, rollGroup, rollOrder, stopGroups } from "../model/restarts";
import { ClusterOutputs, outputsOf } from "../outputs";
import { DESTROY_GRACE_SECONDS, envList, labels, nodeContainer, portMapping, uploads } from "./node";
import { OwnCredentials } from "./ownCredentials";
import { day2Facts } from "../model/day2";
import { BrokerSet } from "./brokerSet";
import { VersionStep } from "./versionStep";
import { ClusterGuard } from "../guards/clusterGuard";
import { InSyncCheck, RollGate } from "./rollGate";
import { Teardown } from "./teardown";

export interface DockerKafkaClusterArgs {
    /** The validated cluster model (built with `dockerAddressing`). */
    readonly model: ClusterModel;
    /** kafka-ui login password, from the secret `kafka-env:kafkaUiPassword`. Default: none. */
    readonly kafkaUiPassword?: pulumi.Input<string>;
    /** Seconds each container may take to become healthy. Default: 300. */
    readonly waitTimeout?: number;
    /** The secret config of a secured cluster (`kafka-env:userPasswords`, `caCertificate`, `caKey`). Default: none given. */
    readonly security?: SecurityConfig;
}

export class DockerKafkaCluster extends pulumi.ComponentResource implements ClusterOutputs {
    public readonly bootstrapServers: pulumi.Output<string>;
    public readonly internalBootstrapServers: pulumi.Output<string>;
    public readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    public readonly zookeeperConnect: pulumi.Output<string | undefined>;
    public readonly caCertificate?: pulumi.Output<string>;
    public readonly certificateExpiry?: pulumi.Output<string>;
    public readonly userCredentials?: ClusterOutputs["userCredentials"];
    public readonly adminCredentials?: ClusterOutputs["adminCredentials"];
    /** The certificates and passwords of a secured cluster. */
    public readonly secrets?: ClusterSecrets;
    /** The network every node joins. */
    public readonly network: docker.Network;
    /** Containers by node name, in model order. */
    public readonly containers: Readonly<Record<string, docker.Container>>;
    /** The broker containers, in id order. */
    public readonly brokers: readonly docker.Container[];
    /**
     * Created (or updated) once every node is healthy, after a roll every partition in sync, and
     * leaving brokers drained; on a cluster with authentication, once every broker accepts the admin.
     */
    public readonly ready: pulumi.Resource;
    /**
     * Stops the nodes together when the environment is destroyed (teardown.ts). It depends on every
     * node container; whatever talks to the brokers on destroy (the topics) must depend on it, so
     * Pulumi deletes that first, while the brokers still run.
     */
    public readonly teardown: Teardown;

    constructor(name: string, args: DockerKafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kafka-env:docker:KafkaCluster", name, {}, opts);
        const { model } = args;
        const waitTimeout = args.waitTimeout ?? 300;
        const child = { parent: this };
        const secrets = model.security ? new ClusterSecrets(model, args.security ?? {}, child) : undefined;
        this.secrets = secrets;

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
        const containerName = (n: NodeModel) => `${model.name}-${n.name}`;
        const brokerNodes = model.nodes.filter(isBroker);
        const gate = (name: string, nodes: readonly NodeModel[], ids: pulumi.Input<string>, waitOnCreate: boolean, node?: NodeModel) =>
            new RollGate(
                name,
                {
                    container: containerName(nodes[nodes.length - 1]),
                    containerId: ids,
                    healthy: nodes.map(containerName),
                    waitOnCreate,
                    inSync: brokerNodes.length > 0 ? inSyncCheck(brokerNodes, nodes[0], containerName) : undefined,
                    timeoutSeconds: waitTimeout,
                    image: node?.image,
                    settings: node?.properties,
                },
                { parent: this },
            );
        // One node after the other, each behind the gate of the node before it (see rollGate.ts);
        // each group (ZooKeeper, controllers, brokers) ends in a gate that waits for all of it,
        // because a new group's nodes may need each other to become healthy (a quorum).
        // First of all, the guard: a change the running cluster cannot take stops here, before any node.
        let previous: pulumi.Resource[] = [new ClusterGuard(`${model.name}-guard`, day2Facts(model), { parent: this })];
        for (const group of ROLL_GROUPS) {
            const nodes = rollOrder(model.nodes).filter((n) => rollGroup(n) === group);
            if (nodes.length === 0) continue;
            for (const node of nodes) {
                const index = model.nodes.indexOf(node);
                const metrics = model.metrics ? { ...model.metrics, index } : undefined;
                const container = nodeContainer(
                    {
                        environment: model.name,
                        node,
                        image: image(node.image),
                        network: this.network.name,
                        metrics,
                        uploads: secrets && node.security && uploads(node.security.files, secrets, node.name),
                    },
                    { parent: this, dependsOn: previous },
                );
                containers[node.name] = container;
                previous = [gate(`${containerName(node)}-roll`, [node], container.id, false, node)];
            }
            const ids = pulumi.all(nodes.map((n) => containers[n.name].id)).apply((xs) => xs.join(","));
            previous = [gate(`${model.name}-${group}s-ready`, nodes, ids, true)];
        }
        this.containers = containers;
        this.brokers = brokerNodes.map((n) => containers[n.name]);
        // After the roll: brokers that leave are drained here, before Pulumi removes their containers at
        // the end of the update; then the version step of an upgrade.
        if (brokerNodes.length > 0) {
            const internalPort = brokerNodes[0].listeners.find((l) => l.name === "INTERNAL")!.port;
            // Steps deployed before security existed keep their inputs: `admin` only when secured.
            const tools = { container: containerName(brokerNodes[0]), admin: toolConnection({ inside: brokerNodes[0] }) };
            const admin = secrets ? { admin: tools.admin } : {};
            const brokerSet = new BrokerSet(
                `${model.name}-broker-set`,
                {
                    brokers: brokerNodes.map((n) => n.id),
                    containers: Object.fromEntries(brokerNodes.map((n) => [String(n.id), containerName(n)])),
                    internalPort,
                    ...admin,
                    kraft: model.mode === "kraft",
                    rebalanceOnScaleOut: model.rebalanceOnScaleOut,
                    timeoutSeconds: waitTimeout,
                },
                { parent: this, dependsOn: previous },
            );
            const version = new VersionStep(
                `${model.name}-version`,
                { mode: model.mode, image: brokerNodes[0].image, container: tools.container, internalPort, ...admin },
                { parent: this, dependsOn: [brokerSet] },
            );
            previous = [version];
            const settings = ownCredentialSettings(model, waitTimeout);
            if (secrets && settings) {
                const own = new OwnCredentials(
                    `${model.name}-own-credentials`,
                    { ...settings, ...tools, passwords: secrets.ownPasswords() },
                    { parent: this, dependsOn: previous },
                );
                previous = [own];
            }
        }
        this.ready = previous[0];
        const stopOrder = stopGroups(model.nodes).map((g) => g.map((node) => `${model.name}-${node}`));
        this.teardown = new Teardown(
            `${model.name}-teardown`,
            { groups: stopOrder, graceSeconds: DESTROY_GRACE_SECONDS },
            { parent: this, dependsOn: Object.values(containers) },
        );

        let kafkaUiUrl: string | undefined;
        if (model.kafkaUi) {
            const ui = model.kafkaUi;
            const secretValues: Record<string, pulumi.Input<string>> = {};
            if (ui.username !== undefined && args.kafkaUiPassword !== undefined) secretValues.SPRING_SECURITY_USER_PASSWORD = args.kafkaUiPassword;
            const user = ui.security?.user;
            if (user && ui.security?.secretEnv) secretValues[ui.security.secretEnv] = secrets!.password(user).apply((p) => scramJaasConfig(user, p));
            const secretEnv = Object.keys(secretValues).length > 0 ? pulumi.secret(secretValues) : undefined;
            new docker.Container(
                `${model.name}-${ui.name}`,
                {
                    name: `${model.name}-${ui.name}`,
                    hostname: ui.name,
                    image: image(ui.image),
                    envs: envList(ui.env, secretEnv),
                    networksAdvanced: [{ name: this.network.name, aliases: [ui.name] }],
                    ports: [portMapping(ui.published)],
                    ...(secrets && ui.security ? { uploads: uploads(ui.security.files, secrets, ui.name) } : {}),
                    restart: "unless-stopped",
                    labels: labels(model.name, ui.name),
                },
                { parent: this, dependsOn: [this.ready] },
            );
            const host = ui.published.hostIp === "0.0.0.0" ? "localhost" : ui.published.hostIp;
            kafkaUiUrl = `http://${host}:${ui.published.hostPort}`;
        }

        this.bootstrapServers = pulumi.output(model.bootstrapServers.join(","));
        this.internalBootstrapServers = pulumi.output(model.internalBootstrapServers.join(","));
        this.kafkaUiUrl = pulumi.output(kafkaUiUrl);
        this.zookeeperConnect = pulumi.output(model.zookeeperConnect);
        this.caCertificate = secrets?.outputs.caCertificate;
        this.certificateExpiry = secrets?.outputs.certificateExpiry;
        this.userCredentials = secrets?.outputs.userCredentials;
        this.adminCredentials = secrets?.outputs.adminCredentials;
        this.registerOutputs(outputsOf(this));
    }
}

/**
 * Asks a broker that stayed up first (a broker just restarted may answer from a metadata cache
 * that is still filling), the node itself last. Only the first brokers are asked, so adding a
 * broker leaves the other gates unchanged.
 */
function inSyncCheck(brokers: readonly NodeModel[], node: NodeModel, containerName: (n: NodeModel) => string): InSyncCheck {
    // Every broker is asked the same way, from inside itself (localhost, the same port and files).
    const access = toolConnection({ inside: brokers[0] });
    const askable = bootstrapSubset(brokers);
    const others = askable.filter((b) => b.name !== node.name);
    return { containers: [...others, ...(isBroker(node) ? [node] : [])].map(containerName), command: outOfSyncPartitions(access) };
}

/** `confluentinc/cp-kafka:7.9.3` -> `confluentinc-cp-kafka-7.9.3`: a stable resource name per image. */
export function slug(image: string): string {
    return image.replace(/[^a-zA-Z0-9.]+/g, "-");
}
