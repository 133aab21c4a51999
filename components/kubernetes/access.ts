/**
 * Credentials and ACLs on Kubernetes through Kafka's tools in Jobs (tools.ts), as the tools
 * identity over REPLICATION (`toolConnection({ job })`), passwords from a Secret of the Job's own:
 *
 * - `OwnCredentials`: kafka-env's own users (the admin; kafka-ui's read-only user), as on Docker
 *   (security/ownCredentials.ts), after the brokers are ready and before anything logs in as the admin.
 * - `KubeAccess`, with `kubernetes.topics: job` only (where `pulumi` does not reach the brokers; with
 *   `provider`, kafka/access.ts does it): `cluster.users`' SCRAM credentials and every ACL binding
 *   (kafka-ui's read-only user's too). It adds what is new and removes what is gone since its last
 *   run, from its own state: principals kafka-env never managed are never touched.
 *
 * Each runs on create and whenever a password, the mechanism, a user or a binding changes.
 */
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { AclBinding } from "../model/aclBindings";
import { aclScript, bindingsMissing } from "../model/aclScript";
import { AdminAccess } from "../model/admin";
import { OwnCredentialSettings, storeOwnCredentials } from "../security/ownCredentials";
import { JobPlace } from "./jobs";
import { ClusterHands, inCluster } from "./tools";

export interface KubeCredentialsInputs extends JobPlace, OwnCredentialSettings {
    /** How the Jobs' tools connect (`toolConnection({ job })`). */
    readonly admin: AdminAccess;
}

export interface KubeAccessInputs extends KubeCredentialsInputs {
    /** Every binding of every user kafka-env manages (`aclBindings`). */
    readonly bindings: readonly AclBinding[];
}

export async function applyOwnCredentials(
    hands: Pick<ClusterHands, "tools">,
    olds: KubeCredentialsInputs | undefined,
    news: KubeCredentialsInputs,
): Promise<KubeCredentialsInputs> {
    await storeOwnCredentials(hands.tools(news, news.admin.bootstrap, news.admin), olds, news);
    return news;
}

export async function applyAccess(hands: Pick<ClusterHands, "tools">, olds: KubeAccessInputs | undefined, news: KubeAccessInputs): Promise<KubeAccessInputs> {
    const tools = hands.tools(news, news.admin.bootstrap, news.admin);
    await storeOwnCredentials(tools, olds, news);
    const script = aclScript(news.admin, bindingsMissing(news.bindings, olds?.bindings ?? []), bindingsMissing(olds?.bindings ?? [], news.bindings));
    if (script) await tools.run("acls", script);
    return news;
}

export const ownCredentialsProvider = dynamicProvider<KubeCredentialsInputs>({
    id: () => "credentials",
    create: (inputs) => applyOwnCredentials(inCluster, undefined, inputs),
    update: (olds, news) => applyOwnCredentials(inCluster, olds, news),
});

export const accessProvider = dynamicProvider<KubeAccessInputs>({
    id: () => "access",
    create: (inputs) => applyAccess(inCluster, undefined, inputs),
    update: (olds, news) => applyAccess(inCluster, olds, news),
});

type Args<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** The passwords and the kubeconfig are secrets, in the inputs and in state. */
function secretArgs<T extends KubeCredentialsInputs>(args: Args<T>): Args<T> {
    return { ...args, passwords: pulumi.secret(args.passwords), kubeconfig: args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig) };
}

const secretOptions = (opts?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({
    ...opts,
    additionalSecretOutputs: ["passwords", "kubeconfig", ...(opts?.additionalSecretOutputs ?? [])],
});

/** Registers as `OwnCredentials`, the Docker step's type. */
export class KubeOwnCredentials extends DynamicResource {
    constructor(name: string, args: Args<KubeCredentialsInputs>, opts?: pulumi.CustomResourceOptions) {
        super(ownCredentialsProvider, "OwnCredentials", name, secretArgs(args), secretOptions(opts));
    }
}

export class KubeAccess extends DynamicResource {
    constructor(name: string, args: Args<KubeAccessInputs>, opts?: pulumi.CustomResourceOptions) {
        super(accessProvider, "KubeAccess", name, secretArgs(args), secretOptions(opts));
    }
}
