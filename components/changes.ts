/**
 * The change between two plans of one stack, in Kafka terms: the target, the Kubernetes settings
 * and the cluster (`model/changes.ts`), each with its severity and reason, sorted by path.
 */
import { kubernetesVerdict, readableReason } from "./kubernetes/changes";
import { compareClusters, flatten, same, unionKeys } from "./model/changes";
import { Change, ChangeContext, ClusterSide, dangerous } from "./model/verdict";
import { EnvironmentPlan } from "./plan";

export function compareEnvironments(before: EnvironmentPlan, after: EnvironmentPlan): Change[] {
    const side = (p: EnvironmentPlan): ClusterSide => ({ target: p.target, config: p.cluster, model: p.model });
    const changes = compareClusters(side(before), side(after), (context) => targetChanges(context, before, after));
    return changes.map((c) => ({ ...c, reason: readableReason(c.reason) }));
}

function targetChanges(context: ChangeContext, before: EnvironmentPlan, after: EnvironmentPlan): Change[] {
    if (before.target !== after.target) {
        const reason = `${before.target} → ${after.target} is a different cluster: a new one is created and the old one is deleted with its data`;
        return [{ path: "target", before: before.target, after: after.target, ...dangerous(reason) }];
    }
    if (!before.kubernetes || !after.kubernetes) return [];
    const settings = (p: EnvironmentPlan) => {
        const { namespace, ...rest } = p.kubernetes!;
        return { ...flatten({ namespace }), ...flatten(rest, ".kubernetes") };
    };
    const [b, a] = [settings(before), settings(after)];
    return unionKeys(b, a)
        .filter((key) => !same(b[key], a[key]))
        .map((key) => {
            const path = key.slice(1);
            return { path, before: b[key], after: a[key], ...kubernetesVerdict(context, path, b[key], a[key]) };
        });
}
