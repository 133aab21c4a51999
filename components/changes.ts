/**
 * The change between two plans of one stack, in Kafka terms: the target, the Kubernetes settings
 * and the cluster (`model/changes.ts`), each with its severity and reason, sorted by path.
 */
import { kubernetesVerdict } from "./kubernetes/changes";
import { Change, ClusterSide, changeContext, compareClusters, flatten } from "./model/changes";
import { compare } from "./model/resolve";
import { EnvironmentPlan } from "./plan";

export function compareEnvironments(before: EnvironmentPlan, after: EnvironmentPlan): Change[] {
    const side = (p: EnvironmentPlan): ClusterSide => ({ target: p.target, config: p.cluster, model: p.model });
    const changes = compareClusters(side(before), side(after));
    if (before.target !== after.target) {
        changes.push({
            path: "target",
            before: before.target,
            after: after.target,
            severity: "dangerous",
            reason: `${before.target} → ${after.target} is a different cluster: a new one is created and the old one is deleted with its data`,
        });
    } else if (before.kubernetes && after.kubernetes) {
        const context = changeContext(side(before), side(after));
        const settings = (p: EnvironmentPlan) => {
            const { namespace, ...rest } = p.kubernetes!;
            return { ...flatten({ namespace }), ...flatten(rest, ".kubernetes") };
        };
        const [b, a] = [settings(before), settings(after)];
        for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
            if (JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
            const path = key.slice(1);
            changes.push({ path, before: b[key], after: a[key], ...kubernetesVerdict(context, path, b[key], a[key]) });
        }
    }
    return changes.sort((x, y) => compare(x.path, y.path));
}
