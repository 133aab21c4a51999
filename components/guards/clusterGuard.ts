/**
 * `ClusterGuard`: a Pulumi dynamic resource holding the facts that decide whether the running
 * cluster can take a change (mode, cluster id, quorum, ensemble size, Kafka release). Its check
 * compares the deployed facts with the new ones and fails with the model's refusals, so a preview
 * (and an update, before any node is touched: every node waits for the guard) stops with the
 * reason and what to do instead. Both targets put it before every node.
 */
import * as pulumi from "@pulumi/pulumi";
import { Day2Facts, refusedFacts } from "../model/day2";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";

export const guardProvider = dynamicProvider<Day2Facts>({
    id: () => "guard",
    refuse: {
        property: "mode",
        reasons: (olds, news) => (olds.mode === undefined ? [] : refusedFacts(olds as Day2Facts, news).map((r) => `kafka-env refuses this change: ${r}`)),
    },
});

export class ClusterGuard extends DynamicResource {
    constructor(name: string, facts: Day2Facts, opts?: pulumi.CustomResourceOptions) {
        super(guardProvider, "ClusterGuard", name, { ...facts }, opts);
    }
}
