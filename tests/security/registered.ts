/**
 * A dynamic resource as the engine would receive it, under mocks: its inputs as registered (a
 * secret input arrives wrapped, with Pulumi's secret signature), the outputs it asks the engine to
 * keep secret, and its provider loaded from the serialized text, ready to run.
 */
import * as pulumi from "@pulumi/pulumi";
import { runMocked } from "../../tools/graph/mocks";
import { Provider, load } from "../dynamic/load";

/** Pulumi's signature of a secret value on the wire. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface Registered {
    readonly inputs: Record<string, any>;
    readonly additionalSecretOutputs: string[];
    readonly provider: Provider;
}

export function isWrappedSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === SECRET_SIG;
}

/** Registers what `program` creates and returns the resource called `name`. */
export async function registered(name: string, program: () => void): Promise<Registered> {
    const secretOutputs = new Map<string, string[]>();
    const { resources } = await runMocked({}, () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: any, cb: unknown) => unknown };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: any, callback: unknown) => {
            secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
            return register(req, callback);
        };
        program();
    });
    const r = resources.find((x) => x.name === name);
    if (!r) throw new Error(`${name} was not registered`);
    const { __provider, ...inputs } = r.inputs;
    return { inputs, additionalSecretOutputs: secretOutputs.get(name) ?? [], provider: load(__provider as string) };
}

/** Where `value` appears in `inputs` outside any secret: the paths of plain strings that contain it. */
export function plainOccurrences(inputs: unknown, value: string, at = ""): string[] {
    if (typeof inputs === "string") return inputs.includes(value) ? [at] : [];
    if (inputs === null || typeof inputs !== "object" || isWrappedSecret(inputs)) return [];
    return Object.entries(inputs as Record<string, unknown>).flatMap(([k, v]) => plainOccurrences(v, value, `${at}.${k}`));
}

/** Every resource `program` registers, by `type::name`, with its inputs as the engine receives them (secrets still wrapped). */
export async function rawInputs(program: () => void, config: Record<string, string> = {}): Promise<Map<string, unknown>> {
    const raw = new Map<string, unknown>();
    await runMocked(config, () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: any, cb: unknown) => unknown };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: any, callback: unknown) => {
            raw.set(`${req.getType()}::${req.getName()}`, req.getObject()?.toJavaScript());
            return register(req, callback);
        };
        program();
    });
    return raw;
}
