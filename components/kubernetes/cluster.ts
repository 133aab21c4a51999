/**
 * `kafka-env:kubernetes:KafkaCluster`: the cluster model in a Kubernetes namespace.
 *
 * A provider (the user's kubeconfig and context, or rendering to a directory), the namespace, and
 * per node group (zookeeper, controller, kafka) a versioned ConfigMap of its nodes' settings, a
 * headless Service, a StatefulSet (its settings' hash in the pod template: a change rolls that
 * group alone, one pod at a time), a PodDisruptionBudget and a `WorkloadReady` waiter; optional
 * per-broker external Services; kafka-ui; and topics through an in-cluster Job or @pulumi/kafka.
 * Around the brokers' StatefulSet, the day-2 steps (day2.ts): the guard before every node, the
 * drain of leaving brokers before the StatefulSet, and after it the unregistering of brokers that
 * left (KRaft), the spread onto brokers that joined, and an upgrade's version step.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, bootstrapSubset } from "../model";
import { day2Facts } from "../model/day2";
import { isBroker } from "../model/types";
import { ClusterGuard } from "../guards/clusterGuard";
import { KafkaAccess } from "../kafka/access";
import { KafkaTopics } from "../kafka/topics";
import { ClusterSecrets, SecurityConfig } from "../security/clusterSecrets";
import { ClusterOutputs, outputsOf } from "../outputs";
import { loadBalancerPlaceholder, names } from "./addressing";
import { ResolvedKubernetes } from "./config";
import { KubeAccess } from "./access";
import { ownCredentials, topicsAndAccess } from "./clusterApi";
import { kafkaUiDeployment, kafkaUiService } from "./kafkaUi";
import { disruptionBudget, groupConfigMap, groupEnvFiles, nodeGroups, settingsHash, statefulSet } from "./nodes";
import { externalService, headlessService } from "./services";
import { WorkloadKind } from "./readiness";
import { WorkloadReady } from "./waiter";
import { namespaceLabels, platformObjects } from "./platformObjects";
import { podScheduling } from "./placement";
import { BrokerDrain, BrokerSettle, BrokerStepsArgs, KubeVersionStep } from "./day2";
import { securedJobs, securedObjects, securedVersionJobs } from "./secured";

export interface KubernetesKafkaClusterArgs {
    /** The validated cluster model (built with `kubernetesAddressing`). */
    readonly model: ClusterModel;
    readonly kubernetes: ResolvedKubernetes;
    /** kafka-ui login password, from the secret `kafka-env:kafkaUiPassword`. Default: none. */
    readonly kafkaUiPassword?: pulumi.Input<string>;
    /** The secret config of a secured cluster (`kafka-env:userPasswords`, `caCertificate`, `caKey`). Default: none given. */
    readonly security?: SecurityConfig;
}

export class KubernetesKafkaCluster extends pulumi.ComponentResource implements ClusterOutputs {
    public readonly bootstrapServers: pulumi.Output<string>;
    public readonly internalBootstrapServers: pulumi.Output<string>;
    public readonly kafkaUiUrl: pulumi.Output<string | undefined>;
    public readonly zookeeperConnect: pulumi.Output<string | undefined>;
    /** The provider every Kubernetes object uses: the one passed in, else `<env>-kubernetes`. */
    public readonly provider: k8s.Provider;
    /** StatefulSets by group (`zookeeper`, `controller`, `kafka`). */
    public readonly statefulSets: Readonly<Record<string, k8s.apps.v1.StatefulSet>>;
    /** Per group: done when its pods run the current settings and are ready (absent when rendering). */
    public readonly ready: Readonly<Record<string, pulumi.Resource>>;
    public readonly topics?: KafkaTopics | k8s.batch.v1.Job;
    /** `cluster.users` and their ACLs: through `@pulumi/kafka` (`topics: provider`) or Jobs (`topics: job`). */
    public readonly access?: KafkaAccess | KubeAccess;
    public readonly caCertificate?: pulumi.Output<string>;
    public readonly certificateExpiry?: pulumi.Output<string>;
    public readonly userCredentials?: ClusterOutputs["userCredentials"];
    public readonly adminCredentials?: ClusterOutputs["adminCredentials"];
    /** The certificates and passwords of a secured cluster. */
    public readonly secrets?: ClusterSecrets;

    constructor(name: string, args: KubernetesKafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kafka-env:kubernetes:KafkaCluster", name, {}, opts);
        const { model, kubernetes: k } = args;
        const env = model.name;

        // A provider the caller passed (`opts.providers`, inherited from a parent) is used as given; else one from the settings.
        this.provider =
            this.getProvider("kubernetes::") ??
            new k8s.Provider(
                `${env}-kubernetes`,
                {
                    kubeconfig: k.kubeconfig,
                    context: k.context,
                    renderYamlToDirectory: k.renderDirectory,
                    // A Secret whose data changes (a node added to the certificates) is updated in place, not deleted
                    // and made again: its name stays known in a preview, so what mounts it previews as unchanged.
                    enableSecretMutable: true,
                },
                { parent: this },
            );
        const child = { parent: this, provider: this.provider };

        const namespace: pulumi.Input<string> = k.createNamespace
            ? new k8s.core.v1.Namespace(`${env}-namespace`, { metadata: { name: k.namespace, labels: namespaceLabels(k) } }, child).metadata.name
            : k.namespace;
        // The bootstrap Service, NetworkPolicies, the rack's RBAC, the metrics agent: what the pods use.
        const parts = platformObjects(env, namespace, model, nodeGroups(model), k, child);

        // LoadBalancer addresses exist only once the Services do: substitute them into the model's text.
        const externalServices =
            k.external.type === "none"
                ? []
                : model.nodes
                      .filter((n) => n.roles.includes("broker"))
                      .map(
                          (broker, i) => new k8s.core.v1.Service(names.externalService(env, broker.name), externalService(env, namespace, broker, k, i), child),
                      );
        const lbHosts = externalServices.map((s) => s.status.loadBalancer.ingress.apply((ingress) => ingress?.[0]?.ip ?? ingress?.[0]?.hostname ?? ""));
        const withAddresses = (text: string): pulumi.Output<string> =>
            k.external.type === "LoadBalancer"
                ? pulumi.all(lbHosts).apply((hosts) => hosts.reduce((t, h, i) => t.split(loadBalancerPlaceholder(i)).join(h), text))
                : pulumi.output(text);
        const secured = model.security ? securedObjects(model, namespace, nodeGroups(model), args.security ?? {}, withAddresses, child) : undefined;
        this.secrets = secured?.secrets;

        // Waits for a workload after each change of it and explains failures; nothing to wait for when rendering.
        const waitFor = (
            kind: WorkloadKind,
            name: string,
            obj: pulumi.CustomResource & { metadata: pulumi.Output<{ name?: string; generation?: number; uid?: string }> },
        ) =>
            k.renderDirectory !== undefined
                ? obj
                : new WorkloadReady(
                      `${name}-ready`,
                      {
                          kubeconfig: k.kubeconfig,
                          context: k.context,
                          namespace,
                          kind,
                          name: kind === "Job" ? obj.metadata.apply((m) => m.name ?? name) : name,
                          revision: obj.metadata.apply((m) => String(kind === "Job" ? m.uid : m.generation)),
                          timeoutSeconds: k.readyTimeoutSeconds,
                      },
                      { parent: this, dependsOn: [obj] },
                  );

        // Day-2 steps run Kafka's tools in Jobs and wait on the API server: nothing to run when rendering.
        const live = k.renderDirectory === undefined;
        const brokerNodes = model.nodes.filter(isBroker);
        // The day-2 Jobs' pods go where the others do (set only when configured: no input changes otherwise).
        const placed = podScheduling(k);
        const scheduling = Object.keys(placed).length > 0 ? { scheduling: placed } : {};
        const steps: BrokerStepsArgs | undefined =
            live && brokerNodes.length > 0
                ? {
                      kubeconfig: k.kubeconfig,
                      context: k.context,
                      namespace,
                      env,
                      image: brokerNodes[0].image,
                      timeoutSeconds: k.readyTimeoutSeconds,
                      ...scheduling,
                      brokers: brokerNodes.map((n) => n.id),
                      pods: Object.fromEntries(brokerNodes.map((n) => [String(n.id), names.pod(env, n.name)])),
                      bootstrap: model.internalBootstrapServers.join(","),
                      kraft: model.mode === "kraft",
                      rebalanceOnScaleOut: model.rebalanceOnScaleOut,
                      ...securedJobs(secured, brokerNodes),
                  }
                : undefined;
        // A change the running cluster cannot take (a mode switch, a downgrade, a quorum change) stops here, before any pod.
        const guard = new ClusterGuard(`${env}-guard`, day2Facts(model), { parent: this });
        const drain = steps ? new BrokerDrain(`${env}-brokers-drain`, steps, { parent: this, dependsOn: [guard] }) : undefined;

        const statefulSets: Record<string, k8s.apps.v1.StatefulSet> = {};
        const ready: Record<string, pulumi.Resource> = {};
        for (const g of nodeGroups(model)) {
            new k8s.core.v1.Service(names.headless(env, g.group), headlessService(env, namespace, g), child);
            const settings = pulumi
                .all(Object.entries(groupEnvFiles(g)).map(([file, text]) => pulumi.all([file, withAddresses(text)])))
                .apply((entries) => Object.fromEntries(entries) as Record<string, string>);
            const configMap = new k8s.core.v1.ConfigMap(`${env}-${g.group}-settings`, groupConfigMap(env, namespace, g, settings), child);
            // Brokers start (and roll) once ZooKeeper, or KRaft's dedicated controllers, are ready:
            // a change of both (an upgrade) rolls the controllers first, then the brokers, as Strimzi does.
            // Dedicated controllers form their quorum without brokers.
            const first = g.group === "kafka" ? (ready.zookeeper ?? ready.controller) : undefined;
            const dependsOn: pulumi.Resource[] = [guard, ...(first ? [first] : []), ...(secured?.groupSecrets[g.group] ? [secured.groupSecrets[g.group]] : [])];
            if (g.group === "kafka" && drain) dependsOn.push(drain);
            if (g.group === "kafka") dependsOn.push(...parts.brokersAfter);
            const sts = new k8s.apps.v1.StatefulSet(
                names.statefulSet(env, g.group),
                statefulSet(
                    env,
                    namespace,
                    g,
                    k,
                    {
                        configMapName: configMap.metadata.name,
                        hash: settings.apply(settingsHash),
                        ...(secured ? { tlsGeneration: secured.tlsGeneration } : {}),
                    },
                    parts,
                ),
                { ...child, dependsOn },
            );
            statefulSets[g.group] = sts;
            ready[g.group] = waitFor("StatefulSet", names.statefulSet(env, g.group), sts);
            new k8s.policy.v1.PodDisruptionBudget(`${names.statefulSet(env, g.group)}-pdb`, disruptionBudget(env, namespace, g), child);
        }
        let brokers: pulumi.Resource = ready.kafka;
        if (steps) {
            const settle = new BrokerSettle(`${env}-brokers-settle`, steps, { parent: this, dependsOn: [ready.kafka] });
            const { kubeconfig, context, image, timeoutSeconds } = steps;
            brokers = new KubeVersionStep(
                `${env}-version`,
                {
                    kubeconfig,
                    context,
                    namespace,
                    env,
                    image,
                    timeoutSeconds,
                    ...scheduling,
                    mode: model.mode,
                    bootstrap: bootstrapSubset(model.internalBootstrapServers).join(","),
                    ...securedVersionJobs(secured, brokerNodes),
                },
                { parent: this, dependsOn: [settle, ...Object.values(ready)] },
            );
            // On a cluster with authentication, kafka-env's own users before anything logs in as one.
            brokers = ownCredentials(this, model, steps, secured, brokers) ?? (secured ? brokers : ready.kafka);
        }
        this.statefulSets = statefulSets;
        this.ready = ready;

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
            // A secured cluster's Secrets by their fixed names (a name from an output is unknown in a preview while they change).
            const deployment = new k8s.apps.v1.Deployment(`${env}-kafka-ui`, kafkaUiDeployment(env, namespace, ui, k, passwordSecret, secured?.kafkaUi), {
                ...child,
                dependsOn: secured?.kafkaUiSecrets ?? [],
            });
            waitFor("Deployment", `${env}-kafka-ui`, deployment);
            new k8s.core.v1.Service(`${env}-kafka-ui`, kafkaUiService(env, namespace, ui), child);
            kafkaUiUrl = `http://${env}-kafka-ui.${k.namespace}.svc.${k.clusterDomain}:${ui.port}`;
        }

        const external = model.bootstrapServers.length > 0;
        this.internalBootstrapServers = pulumi.output(model.clientBootstrapServers.join(","));
        this.bootstrapServers = external ? withAddresses(model.bootstrapServers.join(",")) : this.internalBootstrapServers;
        const api = topicsAndAccess(
            { parent: this, child, model, k, namespace, brokers, externalServices, secured, steps },
            { bootstrapServers: this.bootstrapServers, external, live, waitFor },
        );
        this.topics = api.topics;
        this.access = api.access;

        this.kafkaUiUrl = pulumi.output(kafkaUiUrl);
        this.zookeeperConnect = pulumi.output(model.zookeeperConnect);
        this.caCertificate = secured?.secrets.outputs.caCertificate;
        this.certificateExpiry = secured?.secrets.outputs.certificateExpiry;
        this.userCredentials = secured?.secrets.outputs.userCredentials;
        this.adminCredentials = secured?.secrets.outputs.adminCredentials;
        this.registerOutputs(outputsOf(this));
    }
}
