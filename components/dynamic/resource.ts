/**
 * One way to write a kafka-env dynamic resource: a `DynamicSpec` says what the resource does on
 * create, update and delete, and which changes it refuses; `dynamicProvider` adds what every one
 * of them shares: the diff (an update when any input changed, never a replacement), outputs the
 * engine can encode, refusals as `check` failures; `DynamicResource` registers it as
 * `pulumi-nodejs:dynamic/kafka-env:<type>`.
 *
 * The provider is serialized by Pulumi's closure serializer and runs in the provider host: the
 * functions of a spec may use what they import by name (plain functions are copied), built-in
 * modules through a named import or a `require` inside the function (see kubernetes/kubeapi.ts),
 * and no `const` declared after the function that reads it.
 */
import * as pulumi from "@pulumi/pulumi";
import { inputsDiff, outputs } from "./diff";
import { isRefusal } from "./refusal";

export interface DynamicSpec<S extends object> {
    /** The resource's id, given its inputs on create. */
    readonly id: (inputs: S) => string;
    /** Outputs the provider adds to its inputs: never compared as inputs. */
    readonly outputsOnly?: readonly string[];
    /**
     * Changes refused by what the inputs alone say: `check` fails with each reason (on `property`),
     * so `pulumi preview` says it and `pulumi up` stops before anything runs. `olds` is empty on a
     * first deployment.
     */
    readonly refuse?: {
        readonly property: string;
        readonly reasons: (olds: Partial<S>, news: S) => readonly string[] | Promise<readonly string[]>;
    };
    /**
     * Whether the deployed resource needs an update whatever its inputs say (a certificate near its
     * expiry): `olds` are its outputs. Default: only changed inputs do.
     */
    readonly due?: (olds: S) => boolean;
    /** What a create does; resolves to the outputs. Default: nothing, the inputs are the outputs. */
    readonly create?: (inputs: S) => Promise<S>;
    /** What an update does; resolves to the outputs. Default: nothing, the new inputs are the outputs. */
    readonly update?: (olds: S, news: S) => Promise<S>;
    readonly delete?: (props: S) => Promise<void>;
}

export function dynamicProvider<S extends object>(spec: DynamicSpec<S>): pulumi.dynamic.ResourceProvider {
    const provider: pulumi.dynamic.ResourceProvider = {
        diff: async (_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) => {
            const diff = await inputsDiff(olds, news, spec.outputsOnly);
            return !diff.changes && spec.due?.(olds as S) ? { ...diff, changes: true } : diff;
        },
        create: async (inputs: S) => ({ id: spec.id(inputs), outs: outputs(spec.create ? await spec.create(inputs) : inputs) }),
        update: async (_id: string, olds: S, news: S) => ({ outs: outputs(spec.update ? await spec.update(olds, news) : news) }),
    };
    if (spec.refuse) {
        const { property, reasons } = spec.refuse;
        provider.check = async (olds: Partial<S>, news: S) => {
            let refused: readonly string[];
            try {
                refused = await reasons(olds, news);
            } catch (e) {
                // Thrown out of `check`, it would be printed with its stack.
                if (!isRefusal(e)) throw e;
                refused = [e.message];
            }
            return { inputs: news, failures: refused.map((reason) => ({ property, reason })) };
        };
    }
    const remove = spec.delete;
    if (remove) provider.delete = (_id: string, props: S) => remove(props);
    return provider;
}

/** A kafka-env dynamic resource: its type token is `pulumi-nodejs:dynamic/kafka-env:<type>`. */
export class DynamicResource extends pulumi.dynamic.Resource {
    constructor(provider: pulumi.dynamic.ResourceProvider, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, props, opts, "kafka-env", type);
    }
}
