/**
 * What the Kubernetes cluster component does through the Kafka API once the brokers are ready:
 * kafka-env's own credentials (a secured cluster with authentication), then the topics and
 * `cluster.users` with their ACLs. With `kubernetes.topics: job`, Jobs in the cluster do it (the
 * topic script, `KubeAccess`), as the tools identity on a secured cluster; with `provider`,
 * `@pulumi/kafka` from where `pulumi` runs (kafka/api.ts, as on Docker), over the outside addresses
 * once each answers (over TLS, trusting the CA, on a secured cluster).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KafkaAccess } from "../kafka/access";
import { kafkaApi } from "../kafka/api";
import { BootstrapReachable } from "../kafka/reachable";
import { KafkaTopics } from "../kafka/topics";
import { ClusterModel, bootstrapSubset, isBroker } from "../model";
import { aclBindings } from "../model/aclBindings";
import { ResolvedAcl } from "../model/resolve";
import { PROBE_ACLS, PROBE_PRINCIPAL } from "../model/security";
import { topicScript } from "../model/topicScript";
import { toolConnection } from "../model/toolConnection";
import { ownCredentialSettings } from "../security/ownCredentials";
import { KubeAccess, KubeOwnCredentials } from "./access";
import { ResolvedKubernetes } from "./config";
import { BrokerStepsArgs } from "./day2";
import { topicsJob } from "./jobs";
import { WorkloadKind } from "./readiness";
import { SecuredObjects } from "./secured";

export interface ClusterApiPlace {
    readonly parent: pulumi.Resource;
    readonly child: pulumi.CustomResourceOptions;
    readonly model: ClusterModel;
    readonly k: ResolvedKubernetes;
    readonly namespace: pulumi.Input<string>;
    /** Ready brokers (and, with authentication, the admin's credential). */
    readonly brokers: pulumi.Resource;
    readonly externalServices: readonly pulumi.Resource[];
    readonly secured?: SecuredObjects;
    /** Where the Jobs run (absent when rendering). */
    readonly steps?: BrokerStepsArgs;
}

/** The tool Jobs' place, without the day-2 steps' broker lists. */
function jobPlace(steps: BrokerStepsArgs) {
    const { kubeconfig, context, namespace, env, image, timeoutSeconds, scheduling, toolsSecret } = steps;
    return { kubeconfig, context, namespace, env, image, timeoutSeconds, ...(scheduling ? { scheduling } : {}), ...(toolsSecret ? { toolsSecret } : {}) };
}

/** kafka-env's own SCRAM credentials, after `after`; undefined without authentication. */
export function ownCredentials(
    parent: pulumi.Resource,
    model: ClusterModel,
    steps: BrokerStepsArgs,
    secured: SecuredObjects | undefined,
    after: pulumi.Resource,
): pulumi.Resource | undefined {
    const settings = ownCredentialSettings(model, steps.timeoutSeconds as number);
    if (!secured || !settings) return undefined;
    return new KubeOwnCredentials(
        `${model.name}-own-credentials`,
        {
            ...jobPlace(steps),
            ...settings,
            admin: toolConnection({ job: bootstrapSubset(model.nodes.filter(isBroker)) }),
            passwords: secured.secrets.ownPasswords(),
        },
        { parent, dependsOn: [after] },
    );
}

export function topicsAndAccess(
    p: ClusterApiPlace,
    o: {
        readonly bootstrapServers: pulumi.Output<string>;
        readonly external: boolean;
        readonly live: boolean;
        readonly waitFor: (kind: WorkloadKind, name: string, obj: k8s.batch.v1.Job) => unknown;
    },
): { topics?: KafkaTopics | k8s.batch.v1.Job; access?: KafkaAccess | KubeAccess } {
    const { model, k, secured } = p;
    const env = model.name;
    const brokerNodes = model.nodes.filter(isBroker);
    if (k.topics === "job") {
        let topics: k8s.batch.v1.Job | undefined;
        if (model.topics.length > 0) {
            const admin = secured ? toolConnection({ job: bootstrapSubset(brokerNodes) }) : undefined;
            const servers = admin ? admin.bootstrap.split(",") : bootstrapSubset(model.internalBootstrapServers);
            topics = new k8s.batch.v1.Job(
                `${env}-topics`,
                topicsJob(env, p.namespace, brokerNodes[0].image, topicScript(model.topics, servers, admin?.commandConfig), k, secured?.toolsSecret),
                // A changed topic list is a new Job (named after its content), the old one deleted after it.
                { ...p.child, dependsOn: [p.brokers] },
            );
            o.waitFor("Job", `${env}-topics`, topics);
        }
        return { topics, access: jobAccess(p) };
    }
    const addresses = o.bootstrapServers.apply((s) => s.split(","));
    const tls = secured && model.security!.settings.tls ? { caCertificate: secured.secrets.certificates.caCertificate } : {};
    // Outside addresses answer a moment after the pods are Ready (kube-proxy): wait for each.
    const reachable =
        o.external && o.live
            ? [
                  new BootstrapReachable(
                      `${env}-bootstrap-reachable`,
                      { addresses, timeoutSeconds: k.readyTimeoutSeconds, ...tls },
                      { parent: p.parent, dependsOn: [p.brokers, ...p.externalServices] },
                  ),
              ]
            : [];
    return kafkaApi(
        {
            model,
            bootstrapServers: addresses,
            secrets: secured?.secrets,
            brokersReady: [p.brokers, ...p.externalServices, ...reachable],
            ownAcls: probeAcls(model),
        },
        { parent: p.parent },
    );
}

/** With authorization on: what the brokers' readiness probe may do on PROBE (model/security.ts), kept beside the users' ACLs. */
function probeAcls(model: ClusterModel): Record<string, readonly ResolvedAcl[]> {
    return model.security?.settings.authorization ? { [PROBE_PRINCIPAL]: PROBE_ACLS } : {};
}

/** `cluster.users`' credentials and every ACL binding through Jobs (`topics: job`); undefined when there are none or nothing runs. */
function jobAccess(p: ClusterApiPlace): KubeAccess | undefined {
    const { model, secured, steps } = p;
    const settings = ownCredentialSettings(model, p.k.readyTimeoutSeconds);
    if (!secured || !settings || !steps) return undefined;
    const users = model.security!.users;
    const ui = model.kafkaUi?.security;
    const bindings = [
        ...users.flatMap((u) => aclBindings(u.name, u.acls)),
        ...(ui?.user && ui.acls ? aclBindings(ui.user, ui.acls) : []),
        ...Object.entries(probeAcls(model)).flatMap(([principal, acls]) => aclBindings(principal, acls)),
    ];
    if (users.length === 0 && bindings.length === 0) return undefined;
    const passwords = pulumi.all(Object.fromEntries(users.map((u) => [u.name, secured.secrets.password(u.name)])));
    return new KubeAccess(
        `${model.name}-access`,
        { ...jobPlace(steps), ...settings, admin: toolConnection({ job: bootstrapSubset(model.nodes.filter(isBroker)) }), passwords, bindings },
        { parent: p.parent, dependsOn: [p.brokers] },
    );
}
