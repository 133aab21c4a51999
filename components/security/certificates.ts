/**
 * `ClusterCertificates`: kafka-env's CA and the certificates of every node and of the tools, as a
 * dynamic resource whose keys are Pulumi secrets (`certificateSet.ts` decides what to keep and what
 * to issue). A `pulumi up` within `renewalDays` of a certificate's expiry renews it: the provider's
 * diff reports an update even though no input changed (so `pulumi preview --expect-no-changes`
 * fails then, on purpose), and the new keystores roll the nodes like any other change.
 */
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { ClusterModel } from "../model/types";
import { CertificatesState, IssuedCertificate, caProblems, certificatesDue, settleCertificates } from "./certificateSet";

export const certificatesProvider = dynamicProvider<CertificatesState>({
    id: () => "certificates",
    outputsOnly: ["caCertificate", "caKey", "caNotAfter", "certificates", "keystores", "notAfter", "generation"],
    refuse: { property: "givenCa", reasons: (_olds, news) => caProblems(news.givenCa, new Date()) },
    due: (olds) => certificatesDue(olds, new Date()),
    create: (inputs) => Promise.resolve(settleCertificates(undefined, inputs, new Date())),
    update: (olds, news) => Promise.resolve(settleCertificates(olds, news, new Date())),
});

/** What the certificates of a secured cluster must cover, from its model; undefined when security is off. */
export function certificateInputs(
    model: ClusterModel,
): Pick<CertificatesState, "subjects" | "nodes" | "validityDays" | "renewalDays" | "caValidityDays"> | undefined {
    const security = model.security;
    if (!security) return undefined;
    const nodes = Object.fromEntries(model.nodes.filter((n) => n.security).map((n) => [n.name, [...n.security!.tlsNames]]));
    return { subjects: security.subjects, nodes, ...security.settings.certificates };
}

export interface ClusterCertificatesArgs {
    readonly subjects: CertificatesState["subjects"];
    /**
     * By node name: the names its certificate covers (`certificateInputs`). An input, so the Kubernetes
     * adapter can put LoadBalancer addresses in place of their placeholders once they are known.
     */
    readonly nodes: pulumi.Input<Record<string, readonly string[]>>;
    readonly validityDays: number;
    readonly renewalDays: number;
    readonly caValidityDays: number;
    /** `kafka-env:caCertificate` and `kafka-env:caKey`, when set. Default: a CA generated for the cluster. */
    readonly givenCa?: pulumi.Input<{ certPem: string; keyPem: string }>;
}

/** Every value that holds a private key is a secret, in state and as an output. */
const SECRET_OUTPUTS = ["givenCa", "caKey", "keystores"];

export class ClusterCertificates extends DynamicResource {
    /** The CA's certificate (PEM): what clients trust; the stack output `caCertificate`. */
    declare public readonly caCertificate: pulumi.Output<string>;
    declare public readonly caNotAfter: pulumi.Output<string>;
    /** By holder (node names and `tools`): certificate, expiry, names. */
    declare public readonly certificates: pulumi.Output<Record<string, IssuedCertificate>>;
    /** By holder: the PEM keystore a node (`node.pem`) or a tools Job (`tools.pem`) reads; secret. */
    declare public readonly keystores: pulumi.Output<Record<string, string>>;
    /** The earliest expiry (ISO 8601): the stack output `certificateExpiry`. */
    declare public readonly notAfter: pulumi.Output<string>;
    /** Changes whenever certificates in use are replaced: what rolls the pods on Kubernetes. */
    declare public readonly generation: pulumi.Output<number>;

    constructor(name: string, args: ClusterCertificatesArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs = {
            caCertificate: undefined,
            caKey: undefined,
            caNotAfter: undefined,
            certificates: undefined,
            keystores: undefined,
            notAfter: undefined,
            generation: undefined,
        };
        const givenCa = args.givenCa === undefined ? undefined : pulumi.secret(args.givenCa);
        const props = { ...args, ...(givenCa ? { givenCa } : {}), ...outputs };
        super(certificatesProvider, "ClusterCertificates", name, props, {
            ...opts,
            additionalSecretOutputs: [...SECRET_OUTPUTS, ...(opts?.additionalSecretOutputs ?? [])],
        });
    }
}
