/**
 * The Kubernetes settings a program may give as outputs of its own resources (a cluster's
 * kubeconfig, a StorageClass it creates): set aside before the shape check, passed through as given.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A `pulumi.Output`, recognised without loading the Pulumi runtime (the planner runs without it). */
const isOutput = (v: unknown): boolean => typeof v === "object" && v !== null && (v as { __pulumiOutput?: unknown }).__pulumiOutput === true;

/**
 * The settings that may be outputs (`kubeconfig`, `context`, `storage.storageClass`: a program's own
 * cluster's), set aside when they are: passed through unchecked, the rest is shape-checked as config.
 */
export function withoutOutputs(raw: unknown): {
    plain: unknown;
    inputs: { top: { kubeconfig?: pulumi.Input<string>; context?: pulumi.Input<string> }; storageClass?: pulumi.Input<string> };
} {
    if (typeof raw !== "object" || raw === null) return { plain: raw, inputs: { top: {} } };
    const plain: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    const top: { kubeconfig?: pulumi.Input<string>; context?: pulumi.Input<string> } = {};
    for (const key of ["kubeconfig", "context"] as const) {
        if (isOutput(plain[key])) {
            top[key] = plain[key] as pulumi.Input<string>;
            delete plain[key];
        }
    }
    const storage = plain.storage as Record<string, unknown> | undefined;
    if (typeof storage === "object" && storage !== null && isOutput(storage.storageClass)) {
        const { storageClass, ...rest } = storage;
        plain.storage = rest;
        return { plain, inputs: { top, storageClass: storageClass as pulumi.Input<string> } };
    }
    return { plain, inputs: { top } };
}
