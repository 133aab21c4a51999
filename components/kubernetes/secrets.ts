/**
 * A secured cluster's files on Kubernetes (issue 22), as Secrets: never a ConfigMap, never an env
 * variable, never a plain input.
 *
 * - Per node group, `<env>-<group>-tls`: the files every node of the group reads (`ca.crt`,
 *   `client.properties`) once, and each node's key and certificate under its ordinal
 *   (`0.node.pem`, `1.node.pem`, ...). The pods of a StatefulSet share one template, so the Secret
 *   is mounted read-only at `TLS_SOURCE_DIR` and the pod's command copies its own files to where
 *   the model says (`/etc/kafka/secrets`, an in-memory `emptyDir`) before the image starts. A new
 *   node only adds keys: nothing else rolls. The pod template carries the certificates' generation
 *   (`TLS_GENERATION_ANNOTATION`), so a renewal or a new CA rolls the pods.
 * - `<env>-tools-tls`: the tools identity's key, the CA and its client properties, mounted at
 *   `/etc/kafka/secrets` in the topics Job and the day-2 Jobs (`toolConnection({ job })`).
 * - `<env>-cluster-ca-cert` (`ca.crt`, Strimzi's name) for clients, and per user
 *   `<env>-user-<name>`: `username`, `password`, `mechanism` and a ready `sasl.jaas.config`, as
 *   Strimzi's KafkaUser Secret.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterModel, NodeFile, NodeModel, ScramMechanism } from "../model";
import { ORDINAL_VAR } from "../model/nodeTemplates";
import { TLS_DIR, scramJaasConfig } from "../model/security";
import { dnsLabel } from "../model/dnsLabel";
import { shellQuote } from "../model/topicScript";
import { ClusterSecrets } from "../security/clusterSecrets";
import { nodeGroup } from "./addressing";
import { meta } from "./labels";

/** Where a node pod's group Secret is mounted, read-only; its command copies its own files from there. */
export const TLS_SOURCE_DIR = "/etc/kafka-env-tls";
export const TLS_SOURCE_VOLUME = "tls-source";
/** The in-memory volume at `TLS_DIR` (`/etc/kafka/secrets`) that holds a node's own files. */
export const TLS_VOLUME = "tls";
/** The certificates' generation, in the node pods' template: a renewal rolls them. */
export const TLS_GENERATION_ANNOTATION = "kafka-env.io/tls-generation";
/** Secret volumes: readable by the images' group (the pods' fsGroup), by no one else. */
export const SECRET_MODE = 0o440;

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/** A node group (nodes.ts' `NodeGroup`), as far as its files go. */
export interface NodeGroup {
    readonly group: string;
    readonly nodes: readonly NodeModel[];
}

/** One key of a group's Secret: the file it becomes, whose content it holds, and whether it is one node's own. */
export interface GroupFileKey {
    readonly key: string;
    readonly file: NodeFile;
    /** The node whose content it is (a node's own file), or the group's first node (a shared one). */
    readonly holder: string;
    readonly own: boolean;
}

/** The keys of a group's Secret: shared files once by name, each node's own files (its key) by ordinal. */
export function groupFileKeys(g: NodeGroup): GroupFileKey[] {
    const secured = g.nodes.filter((n) => n.security);
    if (secured.length === 0) return [];
    const files = secured[0].security!.files;
    const own = (f: NodeFile) => f.source.kind === "keystore";
    return [
        ...files.filter((f) => !own(f)).map((file) => ({ key: baseName(file.path), file, holder: secured[0].name, own: false })),
        ...secured.flatMap((n) =>
            files.filter(own).map((file) => ({ key: `${nodeGroup(n.name).ordinal}.${baseName(file.path)}`, file, holder: n.name, own: true })),
        ),
    ];
}

export function groupTlsSecretName(env: string, group: string): string {
    return `${env}-${group}-tls`;
}

/** The Secret of a group's files; all of it secret in state, since it holds keys. */
export function groupTlsSecret(env: string, namespace: pulumi.Input<string>, g: NodeGroup, secrets: ClusterSecrets): k8s.core.v1.SecretArgs {
    const data = Object.fromEntries(groupFileKeys(g).map((k) => [k.key, secrets.content(k.file, k.holder)]));
    return { metadata: meta(env, namespace, groupTlsSecretName(env, g.group), g.group), type: "Opaque", stringData: pulumi.secret(pulumi.all(data)) };
}

/**
 * Bash for a node pod's prelude (after `templateSelection`, which sets the ordinal): copies the
 * pod's own files and the shared ones from the mounted Secret to the paths the model gives, its
 * key readable by its user only. A failed copy stops the node.
 */
export function tlsCopyLines(g: NodeGroup): string[] {
    const files = new Map<string, { source: string; mode: string }>();
    for (const k of groupFileKeys(g)) {
        const source = k.own ? `${TLS_SOURCE_DIR}/\${${ORDINAL_VAR}}.${baseName(k.file.path)}` : `${TLS_SOURCE_DIR}/${k.key}`;
        files.set(k.file.path, { source, mode: k.file.secret ? "0400" : "0444" });
    }
    return [...files].map(([path, f]) => `rm -f ${shellQuote(path)}; cp "${f.source}" ${shellQuote(path)} && chmod ${f.mode} ${shellQuote(path)} || exit 1`);
}

/** The volumes and mounts of a secured group's node pods. */
export function nodeTlsVolumes(env: string, group: string): { volumes: k8s.types.input.core.v1.Volume[]; mounts: k8s.types.input.core.v1.VolumeMount[] } {
    return {
        volumes: [
            { name: TLS_SOURCE_VOLUME, secret: { secretName: groupTlsSecretName(env, group), defaultMode: SECRET_MODE } },
            { name: TLS_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
        ],
        mounts: [
            { name: TLS_SOURCE_VOLUME, mountPath: TLS_SOURCE_DIR, readOnly: true },
            { name: TLS_VOLUME, mountPath: TLS_DIR },
        ],
    };
}

export function toolsTlsSecretName(env: string): string {
    return `${env}-tools-tls`;
}

/** The tools identity's files (`model.security.toolsFiles`), by file name. */
export function toolsTlsSecret(env: string, namespace: pulumi.Input<string>, model: ClusterModel, secrets: ClusterSecrets): k8s.core.v1.SecretArgs {
    const data = Object.fromEntries(model.security!.toolsFiles.map((f) => [baseName(f.path), secrets.content(f, "tools")]));
    return { metadata: meta(env, namespace, toolsTlsSecretName(env), "tools"), type: "Opaque", stringData: pulumi.secret(pulumi.all(data)) };
}

/** A tools Job's volume and mount of the tools Secret, at `TLS_DIR`, where `toolsFiles` are. */
export function toolsTlsVolume(secretName: pulumi.Input<string>): { volume: k8s.types.input.core.v1.Volume; mount: k8s.types.input.core.v1.VolumeMount } {
    return {
        volume: { name: TLS_VOLUME, secret: { secretName, defaultMode: SECRET_MODE } },
        mount: { name: TLS_VOLUME, mountPath: TLS_DIR, readOnly: true },
    };
}

export function caSecretName(env: string): string {
    return `${env}-cluster-ca-cert`;
}

/** The CA's certificate, for clients in the cluster (public; a Secret as Strimzi keeps it). */
export function caSecret(env: string, namespace: pulumi.Input<string>, secrets: ClusterSecrets): k8s.core.v1.SecretArgs {
    return { metadata: meta(env, namespace, caSecretName(env), "kafka"), type: "Opaque", stringData: { "ca.crt": secrets.certificates.caCertificate } };
}

/** `orders_App.1` -> `<env>-user-orders-app-1`: a user's Secret name (validation keeps it one user's). */
export function userSecretName(env: string, user: string): string {
    return `${env}-user-${dnsLabel(user)}`;
}

/** A user's login, for its applications in the cluster; secret. */
export function userSecret(
    env: string,
    namespace: pulumi.Input<string>,
    user: string,
    mechanism: ScramMechanism,
    password: pulumi.Output<string>,
): k8s.core.v1.SecretArgs {
    const data = password.apply((p) => ({ username: user, password: p, mechanism, "sasl.jaas.config": scramJaasConfig(user, p) }));
    return { metadata: meta(env, namespace, userSecretName(env, user), "kafka"), type: "Opaque", stringData: pulumi.secret(data) };
}
