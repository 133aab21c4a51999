/**
 * Manual checks on the e2e cluster without the Pulumi engine (for debugging the manifests, or
 * when the provider plugin is not built yet): render a stack's Kubernetes objects from the
 * mocked program, and wait for a workload with the `WorkloadReady` logic.
 *
 *   npx ts-node --transpile-only e2e/k8s/manual.ts render STACK [CLUSTER_EDIT_JSON] [KUBERNETES_JSON] > objects.yaml
 *   npx ts-node --transpile-only e2e/k8s/manual.ts wait NAMESPACE KIND NAME [TIMEOUT_SECONDS]
 */
import { stringify } from "yaml";
import { waitReady } from "../../components/kubernetes/waiter";
import { WorkloadKind } from "../../components/kubernetes/readiness";
import { runProgram, stackConfig, withCluster } from "../../tools/graph/mocks";

async function render(stack: string, clusterEdit?: string, kubernetes?: string): Promise<string> {
    let config = stackConfig(stack);
    if (clusterEdit) config = withCluster(config, (c) => Object.assign(c, JSON.parse(clusterEdit)));
    if (kubernetes)
        config = { ...config, "kafka-env:kubernetes": JSON.stringify({ ...JSON.parse(config["kafka-env:kubernetes"]), ...JSON.parse(kubernetes) }) };
    const { resources } = await runProgram(config, stack);
    return resources
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((r) => {
            const [, group, kind] = r.type.split(":");
            const apiVersion = group.startsWith("core/") ? group.slice("core/".length) : group;
            return stringify({ apiVersion, kind, ...r.inputs });
        })
        .join("---\n");
}

async function main(): Promise<void> {
    const [command, ...args] = process.argv.slice(2);
    if (command === "render") {
        process.stdout.write(await render(args[0], args[1], args[2]));
    } else if (command === "wait") {
        const start = Date.now();
        await waitReady({ namespace: args[0], kind: args[1] as WorkloadKind, name: args[2], revision: "manual", timeoutSeconds: Number(args[3] ?? 600) });
        console.log(`${args[1]} ${args[0]}/${args[2]} ready after ${((Date.now() - start) / 1000).toFixed(0)} s`);
    } else {
        throw new Error("usage: manual.ts render STACK [CLUSTER_EDIT_JSON] [KUBERNETES_JSON] | wait NAMESPACE KIND NAME [TIMEOUT]");
    }
}

main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
});
