/**
 * Rack awareness (`kubernetes.rack`), as Strimzi's init step does it: an init container of each
 * broker pod reads the label `topologyKey` of the Node the pod was scheduled on and writes
 * `broker.rack` for the launcher; replicas of a partition then go to different racks (zones), and
 * with `closestReplicaFetching` consumers that set `client.rack` read from their own zone.
 *
 * Reading a Node needs a ServiceAccount allowed to `get` nodes: a ClusterRole and its binding
 * (cluster-wide objects, so their names carry the namespace). Only the init container gets the
 * account's token (a projected volume); no other container of any pod has one.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedKubernetes } from "./config";
import { labels } from "./labels";
import { restrictedContainer } from "./podSecurity";

/** The file the init container writes and the node's launcher sources (in kafka-env's own writable directory). */
export const RACK_FILE = "/kafka-env/rack.env";
const TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const TOKEN_VOLUME = "rack-token";

export const rackNames = {
    serviceAccount: (env: string) => `${env}-kafka`,
    /** Cluster-wide: the same environment name may be used in two namespaces. */
    clusterRole: (env: string, namespace: string) => `kafka-env-${namespace}-${env}-nodes`,
};

/** The ServiceAccount the nodes' pods run as: the configured one, else kafka-env's own when the rack needs one. */
export function serviceAccountOf(env: string, k: ResolvedKubernetes): string | undefined {
    return k.pods.serviceAccountName ?? (k.rack.enabled ? rackNames.serviceAccount(env) : undefined);
}

/** Bash (or sh) that writes `RACK_FILE` from the Node's label, with kubectl or curl, whichever the image has. */
export function rackScript(topologyKey: string): string {
    const jsonpathKey = topologyKey.replace(/\./g, "\\.");
    const jsonKey = topologyKey.replace(/[.[\]/]/g, (c) => `\\${c}`);
    return [
        "set -e",
        `if command -v kubectl >/dev/null 2>&1; then`,
        // Its discovery cache in kafka-env's writable directory: the root is read-only.
        `  rack=$(kubectl --cache-dir=/kafka-env/.kube-cache get node "$NODE_NAME" -o 'jsonpath={.metadata.labels.${jsonpathKey}}')`,
        "elif command -v curl >/dev/null 2>&1; then",
        `  node=$(curl -sSf --cacert ${TOKEN_DIR}/ca.crt -H "Authorization: Bearer $(cat ${TOKEN_DIR}/token)" "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/nodes/$NODE_NAME")`,
        `  rack=$(printf '%s' "$node" | tr -d '\\n' | sed -n 's/.*"${jsonKey}": *"\\([^"]*\\)".*/\\1/p')`,
        "else",
        `  echo "kafka-env: this image has neither kubectl nor curl to read node $NODE_NAME; set kubernetes.rack.image to one that has" >&2; exit 1`,
        "fi",
        `if [ -z "$rack" ]; then echo "kafka-env: node $NODE_NAME has no label ${topologyKey}: broker.rack stays unset" >&2; : > ${RACK_FILE}; exit 0; fi`,
        `printf 'export KAFKA_BROKER_RACK=%s\\n' "$rack" > ${RACK_FILE}`,
        `echo "kafka-env: broker.rack=$rack (node $NODE_NAME, label ${topologyKey})"`,
    ].join("\n");
}

/** The launcher's line that picks the rack up (nothing when the file is absent: rack awareness off). */
export function rackLaunchLines(): string[] {
    return [`if [ -s ${RACK_FILE} ]; then . ${RACK_FILE}; fi`];
}

/** The init container and its token volume, for the brokers' pods; `runMount` is kafka-env's writable directory. */
export function rackInit(
    k: ResolvedKubernetes,
    brokerImage: string,
    runMount: k8s.types.input.core.v1.VolumeMount,
): { container: k8s.types.input.core.v1.Container; volume: k8s.types.input.core.v1.Volume } {
    return {
        container: {
            name: "rack",
            image: k.rack.image ?? brokerImage,
            command: ["sh", "-c", rackScript(k.rack.topologyKey)],
            env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
            securityContext: restrictedContainer(true),
            resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
            volumeMounts: [runMount, { name: TOKEN_VOLUME, mountPath: TOKEN_DIR, readOnly: true }],
        },
        volume: {
            name: TOKEN_VOLUME,
            projected: {
                sources: [
                    { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
                    { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
                    { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
                ],
            },
        },
    };
}

/** The ServiceAccount (unless one is configured), the ClusterRole that may get nodes, and its binding. */
export function rackAccess(env: string, namespace: pulumi.Input<string>, k: ResolvedKubernetes, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const account = serviceAccountOf(env, k)!;
    const role = rackNames.clusterRole(env, k.namespace);
    const own = { labels: labels(env, "kafka") };
    const made: pulumi.Resource[] = [];
    if (!k.pods.serviceAccountName) {
        made.push(new k8s.core.v1.ServiceAccount(account, { metadata: { name: account, namespace, ...own }, automountServiceAccountToken: false }, opts));
    }
    made.push(
        new k8s.rbac.v1.ClusterRole(role, { metadata: { name: role, ...own }, rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }] }, opts),
    );
    made.push(
        new k8s.rbac.v1.ClusterRoleBinding(
            role,
            {
                metadata: { name: role, ...own },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
                subjects: [{ kind: "ServiceAccount", name: account, namespace }],
            },
            { ...opts, dependsOn: made },
        ),
    );
    return made;
}
