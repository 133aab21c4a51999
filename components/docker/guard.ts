/**
 * `ClusterGuard`: a Pulumi dynamic resource holding the facts that decide whether the running
 * cluster can take a change (mode, cluster id, quorum, ensemble size, Kafka release). Its check
 * compares the deployed facts with the new ones and fails with the model's refusals, so a preview
 * (and an update, before any node is touched: every node waits for the guard) stops with the
 * reason and what to do instead.
 */
import * as pulumi from "@pulumi/pulumi";
import { Day2Facts, refusedFacts } from "../model/day2";
import { inputsDiff } from "./cli";

export const guardProvider: pulumi.dynamic.ResourceProvider = {
    diff: (_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) => inputsDiff(olds, news),
    check(olds: Partial<Day2Facts>, news: Day2Facts) {
        const refused = olds.mode === undefined ? [] : refusedFacts(olds as Day2Facts, news);
        return Promise.resolve({ inputs: news, failures: refused.map((reason) => ({ property: "mode", reason: `kafka-env refuses this change: ${reason}` })) });
    },
    create(inputs: Day2Facts) {
        return Promise.resolve({ id: "guard", outs: inputs });
    },
    update(_id: string, _olds: Day2Facts, news: Day2Facts) {
        return Promise.resolve({ outs: news });
    },
};

export class ClusterGuard extends pulumi.dynamic.Resource {
    constructor(name: string, facts: Day2Facts, opts?: pulumi.CustomResourceOptions) {
        super(guardProvider, name, { ...facts }, opts, "kafka-env", "ClusterGuard");
    }
}
