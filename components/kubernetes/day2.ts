/**
 * Day-2 steps on Kubernetes, as Pulumi dynamic resources around the brokers' StatefulSet. The
 * steps are the ones Docker runs (day2/steps.ts), here through Kafka's tools in short in-cluster
 * Jobs (tools.ts).
 *
 * - `BrokerDrain` comes before the StatefulSet: when brokers leave, it moves their replicas to the
 *   brokers that stay and waits until the move completes, so the StatefulSet's scale-in (which
 *   removes the highest ordinals) finds them empty. It refuses, before anything moves, when a
 *   partition has more replicas than the brokers that stay.
 * - `BrokerSettle` comes after the StatefulSet is rolled out: in KRaft it unregisters the brokers
 *   that left once their pods are gone; when brokers joined, it spreads the topics' replicas onto
 *   them (unless `rebalanceOnScaleOut` is off).
 * - `KubeVersionStep` comes last: after an upgrade rolled every node, it raises KRaft's
 *   `metadata.version`. It registers as `VersionStep`, the Docker step's type.
 *
 * Creating a cluster runs nothing. Each runs only when its inputs change.
 */
import * as pulumi from "@pulumi/pulumi";
import { BrokerSettings, Reassignment, VersionSettings, drain, raiseVersion, spread, unregister } from "../day2/steps";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { AdminAccess } from "../model/admin";
import { JobPlace } from "./jobs";
import { ClusterHands, inCluster } from "./tools";

export interface BrokersInputs extends JobPlace, BrokerSettings {
    /** Pod of each broker id. */
    readonly pods: Readonly<Record<string, string>>;
    /** INTERNAL addresses of the brokers, comma-separated. */
    readonly bootstrap: string;
    /** On a secured cluster only: how the tools connect (`toolConnection({ job })`), in place of `bootstrap`. */
    readonly admin?: AdminAccess;
}

interface State extends BrokersInputs {
    readonly lastReassignment?: Reassignment;
}

/** Before the scale-in: the leaving brokers' replicas move to the brokers that stay (the new bootstrap names only them). */
export async function applyDrain(hands: ClusterHands, olds: State | undefined, news: State): Promise<State> {
    const drained = await drain(hands.tools(news, news.bootstrap, news.admin), olds, news);
    return { ...news, lastReassignment: drained ?? olds?.lastReassignment };
}

/** After the StatefulSet is rolled out: unregister the brokers that left (KRaft), spread onto the ones that joined. */
export async function applySettle(hands: ClusterHands, olds: State | undefined, news: State): Promise<State> {
    const tools = hands.tools(news, news.bootstrap, news.admin);
    await unregister(tools, olds, news, (id) => hands.podGone(news, olds!.pods[String(id)]));
    const joined = await spread(tools, olds, news);
    return { ...news, lastReassignment: joined ?? olds?.lastReassignment };
}

function brokersProvider(apply: typeof applyDrain, hands: ClusterHands) {
    return dynamicProvider<State>({
        id: () => "brokers",
        outputsOnly: ["lastReassignment"],
        // A new cluster has nothing to move.
        update: (olds, news) => apply(hands, olds, news),
    });
}

export const drainProvider = brokersProvider(applyDrain, inCluster);
export const settleProvider = brokersProvider(applySettle, inCluster);

const secretConfig = (args: BrokersInputs | VersionInputs) => ({
    ...args,
    kubeconfig: args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig),
});

type Args<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** What the cluster component passes: one set of inputs for the drain and the settle. */
export type BrokerStepsArgs = Args<BrokersInputs>;

export class BrokerDrain extends DynamicResource {
    constructor(name: string, args: BrokerStepsArgs, opts?: pulumi.CustomResourceOptions) {
        super(drainProvider, "BrokerDrain", name, { ...secretConfig(args as BrokersInputs), lastReassignment: undefined }, opts);
    }
}

export class BrokerSettle extends DynamicResource {
    constructor(name: string, args: BrokerStepsArgs, opts?: pulumi.CustomResourceOptions) {
        super(settleProvider, "BrokerSettle", name, { ...secretConfig(args as BrokersInputs), lastReassignment: undefined }, opts);
    }
}

export interface VersionInputs extends JobPlace, VersionSettings {
    readonly bootstrap: string;
    /** As `BrokersInputs.admin`. */
    readonly admin?: AdminAccess;
}

interface VersionState extends VersionInputs {
    readonly lastStep?: string;
}

export async function applyVersionStep(hands: ClusterHands, olds: VersionState, news: VersionState): Promise<VersionState> {
    const done = await raiseVersion(hands.tools(news, news.bootstrap, news.admin), olds, news);
    return { ...news, lastStep: done ?? olds.lastStep };
}

export const versionProvider = dynamicProvider<VersionState>({
    id: () => "version",
    outputsOnly: ["lastStep"],
    update: (olds, news) => applyVersionStep(inCluster, olds, news),
});

export class KubeVersionStep extends DynamicResource {
    constructor(name: string, args: Args<VersionInputs>, opts?: pulumi.CustomResourceOptions) {
        super(versionProvider, "VersionStep", name, { ...secretConfig(args as VersionInputs), lastStep: undefined }, opts);
    }
}
