/**
 * The Kubernetes objects of a secured cluster (issue 22), created before the node groups: the
 * certificates and passwords (`ClusterSecrets`, the certificates' names with LoadBalancer addresses
 * in place of their placeholders), per node group its TLS Secret, the tools Secret for the Jobs,
 * the CA's Secret, a Secret per user and kafka-ui's Kafka login (secrets.ts says what each holds).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, NodeModel, bootstrapSubset } from "../model";
import { scramJaasConfig } from "../model/security";
import { toolConnection } from "../model/toolConnection";
import { ClusterSecrets, SecurityConfig } from "../security/clusterSecrets";
import { meta } from "./labels";
import { NodeGroup } from "./nodes";
import { caSecret, caSecretName, groupTlsSecret, groupTlsSecretName, toolsTlsSecret, toolsTlsSecretName, userSecret } from "./secrets";
import { AdminAccess } from "../model/admin";

export interface SecuredObjects {
    readonly secrets: ClusterSecrets;
    /** By group: its TLS Secret, which its StatefulSet waits for. */
    readonly groupSecrets: Readonly<Record<string, k8s.core.v1.Secret>>;
    /** The certificates' generation, for the node pods' template. */
    readonly tlsGeneration: pulumi.Output<string>;
    /** The tools Secret's name (an output: whatever mounts it waits for it). */
    readonly toolsSecret: pulumi.Output<string>;
    /** kafka-ui's Kafka login: the CA's Secret and, with authentication, its `sasl.jaas.config`'s, by their fixed names. */
    readonly kafkaUi: { readonly caSecret: string; readonly jaasSecret?: string };
    /** The Secrets `kafkaUi` names, for the Deployment to wait for. */
    readonly kafkaUiSecrets: pulumi.Resource[];
}

export function securedObjects(
    model: ClusterModel,
    namespace: pulumi.Input<string>,
    groups: readonly NodeGroup[],
    config: SecurityConfig,
    withAddresses: (text: string) => pulumi.Output<string>,
    child: pulumi.CustomResourceOptions,
): SecuredObjects {
    const env = model.name;
    const names = (nodes: Record<string, string[]>) =>
        pulumi.all(
            Object.fromEntries(
                Object.entries(nodes).map(([node, list]) => [
                    node,
                    pulumi.all(list.map(withAddresses)).apply((l) => [...new Set(l.filter((n) => n !== ""))].sort()),
                ]),
            ),
        );
    // Dynamic resources: the Kubernetes provider cannot run them (`child` passes it to the Kubernetes objects only).
    const secrets = new ClusterSecrets(model, config, { parent: child.parent }, names);
    const groupSecrets = Object.fromEntries(
        groups
            .filter((g) => g.nodes.some((n) => n.security))
            .map((g) => [g.group, new k8s.core.v1.Secret(groupTlsSecretName(env, g.group), groupTlsSecret(env, namespace, g, secrets), child)]),
    );
    const tools = new k8s.core.v1.Secret(toolsTlsSecretName(env), toolsTlsSecret(env, namespace, model, secrets), child);
    const ca = new k8s.core.v1.Secret(caSecretName(env), caSecret(env, namespace, secrets), child);
    const mechanism = model.security!.mechanism;
    if (mechanism) {
        for (const user of model.security!.users) {
            new k8s.core.v1.Secret(`${env}-user-${user.name}`, userSecret(env, namespace, user.name, mechanism, secrets.password(user.name)), child);
        }
    }
    const uiUser = model.kafkaUi?.security?.user;
    const jaasSecret = `${env}-kafka-ui-kafka-login`;
    const kafkaUiLogin = uiUser
        ? new k8s.core.v1.Secret(
              jaasSecret,
              {
                  metadata: meta(env, namespace, jaasSecret, "kafka-ui"),
                  type: "Opaque",
                  stringData: { "sasl.jaas.config": pulumi.secret(secrets.password(uiUser).apply((p) => scramJaasConfig(uiUser, p))) },
              },
              child,
          )
        : undefined;
    return {
        secrets,
        groupSecrets,
        tlsGeneration: secrets.certificates.generation.apply(String),
        toolsSecret: tools.metadata.name,
        kafkaUi: { caSecret: caSecretName(env), ...(kafkaUiLogin ? { jaasSecret } : {}) },
        kafkaUiSecrets: kafkaUiLogin ? [ca, kafkaUiLogin] : [ca],
    };
}

/** How the day-2 Jobs reach the brokers on a secured cluster (none otherwise: their inputs stay as before). */
export function securedJobs(secured: SecuredObjects | undefined, brokers: readonly NodeModel[]): { toolsSecret?: pulumi.Output<string>; admin?: AdminAccess } {
    return secured ? { toolsSecret: secured.toolsSecret, admin: toolConnection({ job: brokers }) } : {};
}

/** The version step's: the first brokers only, as its bootstrap. */
export function securedVersionJobs(secured: SecuredObjects | undefined, brokers: readonly NodeModel[]) {
    return securedJobs(secured, bootstrapSubset(brokers));
}
