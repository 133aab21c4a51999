/**
 * `VersionStep`: a Pulumi dynamic resource after the roll that raises the cluster's version once
 * every node runs a newer Kafka release (the model's `versionStep`): KRaft's `metadata.version`
 * through Kafka's `kafka-features`. In ZooKeeper mode an upgrade is only taken with
 * `inter.broker.protocol.version` pinned at the running release (the guard refuses it otherwise);
 * the protocol is raised by the user's next change, which removes the pin and rolls again, so
 * there is nothing to run here. A new cluster starts at its release's version: nothing to do.
 */
import * as pulumi from "@pulumi/pulumi";
import { Mode } from "../model/config";
import { versionStep } from "../model/day2";
import { kafkaTool } from "../model/images";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { execIn } from "./cli";

export interface VersionStepInputs {
    readonly mode: Mode;
    /** The brokers' image. */
    readonly image: string;
    /** A broker container to run `kafka-features` in, and its INTERNAL port. */
    readonly container: string;
    readonly internalPort: number;
}

interface State extends VersionStepInputs {
    readonly lastStep?: string;
}

async function step(olds: State, news: State): Promise<State> {
    const s = versionStep(news.mode, olds.image, news.image);
    if (s.kind !== "upgrade") return { ...news, lastStep: olds.lastStep };
    if (news.mode === "kraft") {
        await execIn(news.container, kafkaTool("kafka-features", `--bootstrap-server localhost:${news.internalPort} upgrade --metadata ${s.to}`));
    }
    return { ...news, lastStep: `${s.from} → ${s.to}: ${s.finalize}` };
}

export const versionStepProvider = dynamicProvider<State>({
    id: () => "version",
    outputsOnly: ["lastStep"],
    update: step,
});

export class VersionStep extends DynamicResource {
    constructor(name: string, args: VersionStepInputs, opts?: pulumi.CustomResourceOptions) {
        super(versionStepProvider, "VersionStep", name, { ...args, lastStep: undefined }, opts);
    }
}
