/**
 * A group's node settings as templates over each node's ordinal: the nodes of one StatefulSet share
 * one pod template, so whatever the template names (a settings ConfigMap, its hash) must not change
 * when a node is added or removed, or every pod of the group restarts for a scale-out (Strimzi
 * avoids that with per-pod resources; a StatefulSet cannot).
 *
 * Nodes of a group differ in their id and their own advertised addresses. Written as expressions of
 * the pod's ordinal (`$pod_ordinal`, from the pod's host name) and host name (`$HOSTNAME`),
 * consecutive nodes whose settings are otherwise the same share one env file: `from-ordinal-N.env`
 * serves ordinal N and every ordinal above it up to the next file. A broker more is then served by
 * the last file, unchanged; only a new kind of node (KRaft's first broker-only node after the
 * combined broker-controllers, a broker behind its own LoadBalancer address) adds a file.
 */
import { NodeModel } from "./types";

/**
 * The shell variable the pod's launcher sets to its StatefulSet ordinal before sourcing its env
 * file. Not exported: the images turn every exported `KAFKA_*` variable into a broker property.
 */
export const ORDINAL_VAR = "pod_ordinal";
/** Env keys that hold the node's own id: written as `ordinal + first id`. */
const ID_KEYS: readonly string[] = ["KAFKA_NODE_ID", "KAFKA_BROKER_ID", "ZOOKEEPER_SERVER_ID"];
/** The env key that holds the node's own addresses. */
const ADVERTISED_KEY = "KAFKA_ADVERTISED_LISTENERS";

/** A value as literal text and shell expressions; literals are escaped for double quotes. */
type Part = { readonly text: string } | { readonly expr: string };

/** `text` as it reads inside bash's double quotes. */
const escaped = (text: string) => text.replace(/[\\"$`]/g, (c) => `\\${c}`);

function quoted(parts: readonly Part[]): string {
    const body = parts.map((p) => ("expr" in p ? p.expr : escaped(p.text))).join("");
    return `"${body}"`;
}

/** Splits `value` at every occurrence of `literal`, putting `expr` in its place. */
function substitute(parts: readonly Part[], literal: string, expr: string): Part[] {
    return parts.flatMap((p): Part[] => {
        if ("expr" in p || !p.text.includes(literal)) return [p];
        return p.text.split(literal).flatMap((text, i): Part[] => (i === 0 ? [{ text }] : [{ expr }, { text }]));
    });
}

/** `export KEY="…"` lines of one node, with its own id and addresses written over its ordinal. */
export function nodeTemplate(node: NodeModel, ordinal: number): string {
    const ordinalExpr = (offset: number) => `$(( ${ORDINAL_VAR} + ${offset} ))`;
    const podName = node.host.split(".")[0];
    return Object.entries(node.env)
        .map(([key, value]) => {
            let parts: Part[] = [{ text: value }];
            if (ID_KEYS.includes(key) && value === String(node.id)) parts = [{ expr: ordinalExpr(node.id - ordinal) }];
            if (key === ADVERTISED_KEY) {
                // The pod's own DNS name starts with its host name (the pod name).
                parts = substitute(parts, `//${node.host}:`, `//\${HOSTNAME}${node.host.slice(podName.length)}:`);
                const external = node.listeners.find((l) => l.name === "EXTERNAL")?.advertised;
                const port = external ? /^(.*):(\d+)$/.exec(external) : null;
                // A NodePort per broker: base + ordinal. A LoadBalancer placeholder stays literal (its address is the pod's own).
                if (port && !port[1].startsWith("__")) {
                    parts = substitute(parts, `EXTERNAL://${external}`, `EXTERNAL://${escaped(port[1])}:${ordinalExpr(Number(port[2]) - ordinal)}`);
                }
            }
            return `export ${key}=${quoted(parts)}`;
        })
        .join("\n")
        .concat("\n");
}

/** The file that serves ordinals from `ordinal` on. */
export function templateFileName(ordinal: number | string): string {
    return `from-ordinal-${ordinal}.env`;
}

/**
 * The env files of a group whose nodes are `nodes` (ordinal = position): one per run of
 * consecutive nodes with the same template, named after the run's first ordinal. Adding nodes of
 * the last kind leaves it unchanged.
 */
export function groupTemplates(nodes: readonly NodeModel[]): Record<string, string> {
    const files: Record<string, string> = {};
    let last: string | undefined;
    nodes.forEach((node, ordinal) => {
        const text = nodeTemplate(node, ordinal);
        if (text !== last) files[templateFileName(ordinal)] = text;
        last = text;
    });
    return files;
}

/**
 * Bash that sets `$pod_ordinal` from the pod's host name (`<statefulset>-<ordinal>`) and
 * `$settings_file` to the file in `dir` serving that ordinal (shell variables, not exported).
 */
export function templateSelection(dir: string): string[] {
    const file = `${dir}/${templateFileName("$i")}`;
    return [
        `${ORDINAL_VAR}=\${HOSTNAME##*-}`,
        `i=$${ORDINAL_VAR}`,
        `while [ "$i" -gt 0 ] && [ ! -f "${file}" ]; do i=$(( i - 1 )); done`,
        `settings_file="${file}"`,
    ];
}
