/**
 * Pod Security `restricted` for every container kafka-env runs: the image's own user (uid 1000),
 * no privilege escalation, every capability dropped, the runtime's default seccomp profile, and a
 * read-only root file system. What the images write goes to one `emptyDir` (`WRITABLE_DIRS`),
 * filled with the image's own content of those directories by a first init container, so either
 * image family finds its files where it expects them.
 *
 * The one exception is opt-in: `storage.prepareVolumes`, a root init container with only the
 * capabilities to chown a mount point. Without it, a node whose data directory is not writable
 * stops at once and says why (`volumeCheckLines`), and the waiter gives up on it at once.
 */
import * as k8s from "@pulumi/kubernetes";
import { NodeModel } from "../model";
import { shellQuote } from "../model/topicScript";
import { ResolvedKubernetes } from "./config";

/** The user and group both Kafka image families run as. */
export const IMAGE_UID = 1000;
export const IMAGE_GID = 1000;

/** The pod-level settings: the image's user, volumes group-owned by its group. */
export function podSecurityContext(): k8s.types.input.core.v1.PodSecurityContext {
    return { runAsNonRoot: true, runAsUser: IMAGE_UID, runAsGroup: IMAGE_GID, fsGroup: IMAGE_GID, seccompProfile: { type: "RuntimeDefault" } };
}

/** A container that passes Pod Security `restricted`; the root file system read-only when `readOnlyRoot`. */
export function restrictedContainer(readOnlyRoot: boolean): k8s.types.input.core.v1.SecurityContext {
    return {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
        readOnlyRootFilesystem: readOnlyRoot,
    };
}

/**
 * Where the images write besides their data volume: `/tmp` (the JVM), `/etc/kafka` (Confluent's
 * configure writes the properties there; Apache keeps its run scripts there), `/opt/kafka/config`
 * (Apache's configure writes there), `/opt/kafka/logs` and `/var/log/kafka` (log and GC files), and
 * kafka-env's own `/kafka-env` (the rack, the metrics agent). Absent ones are created empty.
 */
export const WRITABLE_DIRS: readonly string[] = ["/tmp", "/etc/kafka", "/opt/kafka/config", "/opt/kafka/logs", "/var/log/kafka", "/kafka-env"];
/** The emptyDir that holds them, one sub-directory each. */
export const SCRATCH_VOLUME = "scratch";
const SCRATCH_MOUNT = "/kafka-env-scratch";

const subPath = (dir: string) => dir.slice(1).replace(/\//g, "-");

/** kafka-env's own writable directory (the rack, the metrics agent), in every node pod. */
export const RUN_DIR = "/kafka-env";

/** The volume and the mounts that make `WRITABLE_DIRS` writable (only `RUN_DIR` when the root stays writable). */
export function writableMounts(k: ResolvedKubernetes): { volumes: k8s.types.input.core.v1.Volume[]; mounts: k8s.types.input.core.v1.VolumeMount[] } {
    const dirs = k.podSecurity.readOnlyRootFilesystem ? WRITABLE_DIRS : [RUN_DIR];
    return {
        volumes: [{ name: SCRATCH_VOLUME, emptyDir: {} }],
        mounts: dirs.map((dir) => ({ name: SCRATCH_VOLUME, mountPath: dir, subPath: subPath(dir) })),
    };
}

/** Copies the image's own content of `WRITABLE_DIRS` into the emptyDir, before the node's container mounts it over them. */
export function writableDirsContainer(image: string, k: ResolvedKubernetes): k8s.types.input.core.v1.Container | undefined {
    if (!k.podSecurity.readOnlyRootFilesystem) return undefined;
    const copy = WRITABLE_DIRS.map((dir) => {
        const to = `${SCRATCH_MOUNT}/${subPath(dir)}`;
        return `mkdir -p ${to}; if [ -d ${dir} ]; then cp -Rp ${dir}/. ${to}/; fi`;
    });
    return {
        name: "writable-dirs",
        image,
        command: ["bash", "-c", ["set -e", ...copy].join("\n")],
        securityContext: restrictedContainer(true),
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
        volumeMounts: [{ name: SCRATCH_VOLUME, mountPath: SCRATCH_MOUNT }],
    };
}

/** The exit code of a node that stops because its data directory is not writable. */
export const UNWRITABLE_EXIT_CODE = 78;
/** Messages kafka-env writes to a container's termination log start with this: the waiter stops on them at once. */
export const STOP_PREFIX = "kafka-env: ";

/**
 * Bash that stops the node at once when a data directory is not writable for the image's user, with
 * a message naming the pod, the directory and the setting (also in the termination log, where the
 * waiter reads it).
 */
export function volumeCheckLines(node: NodeModel): string[] {
    const dirs = node.volumes.map((v) => shellQuote(v.path)).join(" ");
    const message =
        `${STOP_PREFIX}$d is not writable by uid $(id -u) in pod $HOSTNAME: its volume does not apply fsGroup. ` +
        "Set kubernetes.storage.prepareVolumes: true (with kubernetes.podSecurity.enforce: baseline), or use a StorageClass that applies fsGroup.";
    return [
        `for d in ${dirs}; do`,
        `  if [ ! -w "$d" ]; then m="${message}"; echo "$m" >&2; echo "$m" > /dev/termination-log; exit ${UNWRITABLE_EXIT_CODE}; fi`,
        "done",
    ];
}

/**
 * Makes the data directories the image user's before the node starts, for volumes that ignore
 * `fsGroup` and are not writable to all. Root, with the CHOWN and FOWNER capabilities only (Pod
 * Security `baseline`); changes only the mount points, never the data below them.
 */
export function prepareVolumesContainer(node: NodeModel): k8s.types.input.core.v1.Container {
    const dirs = node.volumes.map((v) => shellQuote(v.path)).join(" ");
    const owner = `${IMAGE_UID}:${IMAGE_GID}`;
    return {
        name: "prepare-volumes",
        image: node.image,
        command: ["bash", "-c", `set -e; for d in ${dirs}; do [ "$(stat -c %u:%g "$d")" = ${owner} ] || chown ${owner} "$d"; chmod u+rwx "$d"; done`],
        securityContext: {
            runAsUser: 0,
            runAsGroup: 0,
            runAsNonRoot: false,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"], add: ["CHOWN", "FOWNER"] },
            seccompProfile: { type: "RuntimeDefault" },
            readOnlyRootFilesystem: true,
        },
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
        volumeMounts: node.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
    };
}
