/**
 * `kafka-env:index:KafkaEnvironment`: a whole Kafka environment as one component, for programs of
 * your own (`import { KafkaEnvironment } from "kafka-env"`) and, through the plugin package
 * (plugin/), for other languages. Its arguments are the stack config's keys as values; it plans
 * (every problem at once, before any resource, named by argument) and hands the plan to the
 * builder the repository's own program uses (environment.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentComponents, createEnvironment } from "./environment";
import { KubernetesConfig } from "./kubernetes/config";
import { ClusterConfig, ConfigError, Target } from "./model";
import { ClusterOutputs, outputsOf } from "./outputs";
import { EnvironmentPlan, planEnvironment } from "./plan";
import { ClientCredential, SecurityConfig } from "./security/clusterSecrets";

/** The arguments of a `KafkaEnvironment`: what a stack of this repository sets under `kafka-env:`. */
export interface KafkaEnvironmentArgs {
    /** Where the environment runs: `docker` (the local engine or Podman) or `kubernetes`. Default: `docker`. */
    target?: Target;
    /** The cluster: mode, brokers, listeners, images, topics, users, security, metrics, kafka-ui (docs/configuration.md). Default: every default. */
    cluster?: ClusterConfig;
    /** Target `kubernetes`: the namespace. Default: `kafka`. */
    namespace?: string;
    /** Target `kubernetes`: kubeconfig, storage, resources, external access, platform settings (docs/kubernetes.md). Default: every default. */
    kubernetes?: KubernetesConfig;
    /** kafka-ui's login password, with `cluster.kafkaUi.username`. Default: none (no login). */
    kafkaUiPassword?: pulumi.Input<string>;
    /** Passwords of `cluster.users` by user name: the names plain (they are checked), the passwords inputs (secrets). Default: every password generated. */
    userPasswords?: Record<string, pulumi.Input<string>>;
    /** The CA's certificate (PEM) to issue the cluster's certificates from, with `caKey`. Default: a CA generated for the cluster. */
    caCertificate?: pulumi.Input<string>;
    /** The CA's private key (PEM), with `caCertificate`. Default: a CA generated for the cluster. */
    caKey?: pulumi.Input<string>;
}

/** A Kafka environment (brokers, controllers or ZooKeeper, kafka-ui, topics, users and ACLs) on Docker or Kubernetes. */
export class KafkaEnvironment extends pulumi.ComponentResource {
    /** Bootstrap servers for clients where `pulumi` runs: the host (Docker) or outside the Kubernetes cluster when exposed. */
    public readonly bootstrapServers: pulumi.Output<string>;
    /** Bootstrap servers on the container network or inside the Kubernetes cluster. */
    public readonly internalBootstrapServers: pulumi.Output<string>;
    /** kafka-ui's address, when enabled. */
    public readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    /** ZooKeeper's connect string (mode `zookeeper`). */
    public readonly zookeeperConnect: pulumi.Output<string | undefined>;
    /** The CA's certificate (PEM) clients trust, when any security setting is on. */
    public readonly caCertificate: pulumi.Output<string | undefined>;
    /** When the first node or tools certificate expires (ISO 8601), when any security setting is on. */
    public readonly certificateExpiry: pulumi.Output<string | undefined>;
    /** Each of `cluster.users` by name, as its username, password and mechanism (secret), with authentication. */
    public readonly userCredentials: pulumi.Output<Record<string, ClientCredential> | undefined>;
    /** kafka-env's own admin, a super user (secret), with authentication: for break-glass work. */
    public readonly adminCredentials: pulumi.Output<ClientCredential | undefined>;

    constructor(name: string, args: KafkaEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        // Planned before the component registers: a mistake leaves nothing behind.
        const plan = planArgs(name, args);
        super("kafka-env:index:KafkaEnvironment", name, {}, opts);
        // Its components were once the stack's own (the repository's program before this component): the alias keeps their URNs.
        const built = createEnvironment(plan, secretsOf(args), { parent: this, aliases: [{ parent: pulumi.rootStackResource }] });
        const outputs = outputsOf(built);
        this.bootstrapServers = outputs.bootstrapServers;
        this.internalBootstrapServers = outputs.internalBootstrapServers;
        this.kafkaUiUrl = outputs.kafkaUiUrl;
        this.zookeeperConnect = outputs.zookeeperConnect;
        this.caCertificate = outputs.caCertificate ?? pulumi.output(undefined);
        this.certificateExpiry = outputs.certificateExpiry ?? pulumi.output(undefined);
        this.userCredentials = outputs.userCredentials ?? pulumi.output(undefined);
        this.adminCredentials = outputs.adminCredentials ?? pulumi.output(undefined);
        BUILT.set(this, built);
        this.registerOutputs({ ...outputs });
    }

    /** The outputs a stack exports: the security ones only when the cluster is secured. */
    stackOutputs(): ClusterOutputs {
        return outputsOf(BUILT.get(this)!);
    }

    /** The component resources inside: the target's cluster, and the topics and ACLs (Docker). */
    components(): EnvironmentComponents {
        return BUILT.get(this)!.components;
    }
}

/** What each environment built, kept off the class's fields: every field of it is a schema output. */
const BUILT = new WeakMap<KafkaEnvironment, ClusterOutputs & { components: EnvironmentComponents }>();

/**
 * Plans the arguments as the stack config is planned, each secret checked for presence only (its
 * value stays an input); problems are named by argument (`cluster.brokers`, `caKey`), and the
 * environment's name defaults to the component's.
 */
export function planArgs(name: string, args: KafkaEnvironmentArgs): EnvironmentPlan {
    const given = (v: unknown) => (v === undefined ? undefined : true);
    const values: Record<string, unknown> = {
        target: args.target,
        cluster: isObject(args.cluster ?? {}) ? { ...args.cluster, name: args.cluster?.name ?? name } : args.cluster,
        namespace: args.namespace,
        kubernetes: args.kubernetes,
        kafkaUiPassword: given(args.kafkaUiPassword),
        userPasswords: args.userPasswords === undefined ? undefined : Object.fromEntries(Object.keys(args.userPasswords).map((n) => [n, true])),
        caCertificate: given(args.caCertificate),
        caKey: given(args.caKey),
    };
    const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    try {
        return planEnvironment({ values: defined, stack: pulumi.getStack(), terms: "args" });
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        throw new ConfigError(
            e.problems.map((p) => ({ path: p.path, message: p.message.replace(/kafka-env:/g, "") })),
            `KafkaEnvironment "${name}"`,
        );
    }
}

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

function secretsOf(args: KafkaEnvironmentArgs): { kafkaUiPassword?: pulumi.Input<string>; security: SecurityConfig } {
    const { kafkaUiPassword, userPasswords, caCertificate, caKey } = args;
    return {
        ...(kafkaUiPassword !== undefined ? { kafkaUiPassword } : {}),
        security: {
            ...(userPasswords !== undefined ? { userPasswords: pulumi.all(userPasswords) } : {}),
            ...(caCertificate !== undefined && caKey !== undefined
                ? { ca: pulumi.all([caCertificate, caKey]).apply(([certPem, keyPem]) => ({ certPem, keyPem })) }
                : {}),
        },
    };
}
