/**
 * `Teardown`: a Pulumi dynamic resource that does nothing until it is deleted, which happens when
 * the whole environment goes (`pulumi destroy`). It depends on every node container and the
 * topics depend on it (a resource is deleted before those it depends on), so Pulumi deletes it
 * after the topics and before any container; its delete then stops
 * the nodes in the model's `stopGroups` order, each group all at once (`docker stop` with the
 * containers' own grace), and Pulumi removes the stopped containers after it.
 *
 * Deleted one after the other (the roll chain's order, reversed), the last KRaft node waited out
 * its whole stop timeout: its broker's controlled shutdown needs an active controller, and the
 * quorum had gone with the nodes before it. Never rename or remove this resource on a stack that
 * should keep running: its delete stops every node.
 */
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";
import { dockerCli } from "./cli";

export interface TeardownInputs {
    /** Container names in stop order: a group is stopped all at once, after the group before it. */
    readonly groups: readonly (readonly string[])[];
    readonly graceSeconds: number;
}

// Updated, never replaced (`dynamicProvider`): a replacement deletes the old one, and its delete stops the cluster.
export const teardownProvider = dynamicProvider<TeardownInputs>({
    id: () => "teardown",
    delete: async (props) => {
        // Best effort: a container already gone is no reason to fail; Pulumi removes each container next.
        for (const group of props.groups) {
            await Promise.all(group.map((c) => dockerCli(["stop", "-t", String(props.graceSeconds), c])));
        }
    },
});

export class Teardown extends DynamicResource {
    constructor(name: string, args: TeardownInputs, opts?: pulumi.CustomResourceOptions) {
        super(teardownProvider, "Teardown", name, { ...args }, opts);
    }
}
