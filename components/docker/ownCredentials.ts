/**
 * `OwnCredentials` on Docker: the SCRAM credentials of kafka-env's own users (security/ownCredentials.ts),
 * stored with Kafka's tools in a broker container (`docker exec`, as the node, over REPLICATION), the
 * passwords on stdin. Runs on create and whenever a password, the mechanism or the users change.
 */
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { AdminAccess } from "../model/admin";
import { OwnCredentialSettings, storeOwnCredentials } from "../security/ownCredentials";
import { DockerHands, dockerEngine } from "./tools";

export interface DockerOwnCredentialsInputs extends OwnCredentialSettings {
    /** The broker container Kafka's tools run in, and how they reach it there (`toolConnection`). */
    readonly container: string;
    readonly admin: AdminAccess;
}

export async function applyOwnCredentials(
    hands: Pick<DockerHands, "tools">,
    olds: DockerOwnCredentialsInputs | undefined,
    news: DockerOwnCredentialsInputs,
): Promise<DockerOwnCredentialsInputs> {
    await storeOwnCredentials(hands.tools(news.container, news.admin), olds, news);
    return news;
}

export const ownCredentialsProvider = dynamicProvider<DockerOwnCredentialsInputs>({
    id: () => "credentials",
    create: (inputs) => applyOwnCredentials(dockerEngine, undefined, inputs),
    update: (olds, news) => applyOwnCredentials(dockerEngine, olds, news),
});

type Args<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

export class OwnCredentials extends DynamicResource {
    constructor(name: string, args: Args<DockerOwnCredentialsInputs>, opts?: pulumi.CustomResourceOptions) {
        super(
            ownCredentialsProvider,
            "OwnCredentials",
            name,
            { ...args, passwords: pulumi.secret(args.passwords) },
            {
                ...opts,
                additionalSecretOutputs: ["passwords", ...(opts?.additionalSecretOutputs ?? [])],
            },
        );
    }
}
