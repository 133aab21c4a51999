/**
 * `VersionStep`: a Pulumi dynamic resource after the roll that raises the cluster's version once
 * every node runs a newer Kafka release (day2/steps.ts `raiseVersion`). A new cluster starts at
 * its release's version: nothing to do.
 */
import * as pulumi from "@pulumi/pulumi";
import { VersionSettings, raiseVersion } from "../day2/steps";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { BrokerToolInputs, DockerHands, brokerAccess, dockerEngine } from "./tools";

export interface VersionStepInputs extends VersionSettings, BrokerToolInputs {
    /** A broker container to run `kafka-features` in. */
    readonly container: string;
}

interface State extends VersionStepInputs {
    readonly lastStep?: string;
}

export async function applyVersionStep(hands: Pick<DockerHands, "tools">, olds: State, news: State): Promise<State> {
    const done = await raiseVersion(hands.tools(news.container, brokerAccess(news)), olds, news);
    return { ...news, lastStep: done ?? olds.lastStep };
}

export const versionStepProvider = dynamicProvider<State>({
    id: () => "version",
    outputsOnly: ["lastStep"],
    update: (olds, news) => applyVersionStep(dockerEngine, olds, news),
});

export class VersionStep extends DynamicResource {
    constructor(name: string, args: VersionStepInputs, opts?: pulumi.CustomResourceOptions) {
        super(versionStepProvider, "VersionStep", name, { ...args, lastStep: undefined }, opts);
    }
}
