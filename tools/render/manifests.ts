/**
 * The Kubernetes objects of a recorded resource graph, as files: what the program hands the
 * Kubernetes provider, laid out as the provider's own `renderYamlToDirectory` lays it out
 * (`1-manifest/<apiVersion>-<kind>-<namespace>-<name>.yaml`, custom resource definitions under
 * `0-crd/`), so a reviewer reads the same tree either way.
 */
import type { Recorded } from "../graph/mocks";

/** One object and the file it goes to, relative to the output directory. */
export interface Manifest {
    readonly file: string;
    readonly kind: string;
    readonly object: Record<string, unknown>;
}

/** How the runtime marks a secret value inside resource inputs (the mocks receive it so). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The Kubernetes objects of `resources` (providers and kafka-env's own resources left out), sorted by file. */
export function manifestsOf(resources: readonly Recorded[]): Manifest[] {
    return resources
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((r) => {
            const object = unwrapSecrets(r.inputs) as Record<string, unknown>;
            const kind = String(object.kind);
            return { file: fileFor(object), kind, object };
        })
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** `1-manifest/apps_v1-statefulset-kafka-kafka-dev-kafka.yaml`, as pulumi-kubernetes names it. */
export function fileFor(object: Record<string, unknown>): string {
    const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
    const sanitise = (s: string) => s.replace(/[/:]/g, "_");
    const kind = String(object.kind);
    const name = `${sanitise(String(object.apiVersion))}-${kind.toLowerCase()}-${metadata.namespace || "default"}-${metadata.name ?? ""}.yaml`;
    return `${kind === "CustomResourceDefinition" ? "0-crd" : "1-manifest"}/${name}`;
}

/** Replaces every secret marker below `value` with the value it wraps (rendered files hold it in plain text, as the provider writes it). */
function unwrapSecrets(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    const o = value as Record<string, unknown>;
    if (SECRET_SIG in o) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrapSecrets(v)]));
}
