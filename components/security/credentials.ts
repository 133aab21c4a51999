/**
 * `Credentials`: the SCRAM passwords of kafka-env's own users and of `cluster.users`, kept as
 * Pulumi secrets. A password from `kafka-env:userPasswords` wins; every other one is generated once
 * and kept across `pulumi up`s until its user goes. Each password also has a version, a keyed hash
 * (HMAC, never a plain hash, so the version tells nothing about the password) that changes with it:
 * what re-runs a Job or names a credential's change without carrying the secret.
 *
 * Modules are `require`d inside the functions: the provider runs serialized in Pulumi's provider
 * host (see components/dynamic/resource.ts).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- `require` is what survives serialization (see above). */
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource, dynamicProvider } from "../dynamic/resource";

export interface CredentialsState {
    /** Every user that needs a password, sorted: kafka-env's own and `cluster.users`. */
    readonly users: readonly string[];
    /** Passwords from `kafka-env:userPasswords`, by user: a secret input. */
    readonly given: Readonly<Record<string, string>>;
    /** Outputs. By user; secret. */
    readonly passwords?: Readonly<Record<string, string>>;
    /** By user: changes whenever the password does; not secret. */
    readonly versions?: Readonly<Record<string, string>>;
    /** The versions' HMAC key; secret. */
    readonly versionKey?: string;
}

/** What a password may not contain: it is quoted in JAAS lines, `kafka-configs`' `[key=value,...]` and shell words. */
const UNSAFE = /[\s"\\,[\]=']/;

/** Why given passwords cannot be used, naming the users and never a value. */
export function passwordProblems(given: Readonly<Record<string, string>>): string[] {
    return Object.keys(given)
        .sort()
        .flatMap((user) => {
            const password = given[user];
            if (password.length === 0) return [`kafka-env:userPasswords.${user} is empty; set a password, or remove it to have one generated`];
            if (UNSAFE.test(password)) {
                return [
                    `kafka-env:userPasswords.${user} contains whitespace or one of " \\ , [ ] = ' (which Kafka's JAAS and SCRAM settings cannot carry); choose another password`,
                ];
            }
            return [];
        });
}

/** 32 characters of base64url from 24 random bytes. */
export function generatePassword(): string {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    return crypto.randomBytes(24).toString("base64url");
}

export function passwordVersion(key: string, password: string): string {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    return crypto.createHmac("sha256", key).update(password).digest("hex").slice(0, 16);
}

/** The outputs for `news`, keeping what `previous` generated for users still there. */
export function settleCredentials(previous: CredentialsState | undefined, news: CredentialsState): CredentialsState {
    const versionKey = previous?.versionKey ?? generatePassword();
    const passwords: Record<string, string> = {};
    const versions: Record<string, string> = {};
    for (const user of [...news.users].sort()) {
        const kept = previous?.passwords?.[user];
        const generatedBefore = kept !== undefined && previous?.given[user] === undefined;
        passwords[user] = news.given[user] ?? (generatedBefore ? kept : generatePassword());
        versions[user] = passwordVersion(versionKey, passwords[user]);
    }
    return { ...news, passwords, versions, versionKey };
}

export const credentialsProvider = dynamicProvider<CredentialsState>({
    id: () => "credentials",
    outputsOnly: ["passwords", "versions", "versionKey"],
    refuse: { property: "given", reasons: (_olds, news) => passwordProblems(news.given ?? {}) },
    create: (inputs) => Promise.resolve(settleCredentials(undefined, inputs)),
    update: (olds, news) => Promise.resolve(settleCredentials(olds, news)),
});

export interface CredentialsArgs {
    /** Every user that needs a password: kafka-env's own (`ADMIN_USER`, `UI_USER` when used) and `cluster.users`. */
    readonly users: pulumi.Input<readonly string[]>;
    /** `kafka-env:userPasswords` (`config.getSecretObject`). Default: none. */
    readonly given?: pulumi.Input<Record<string, string>>;
}

/** Every value that holds a password is a secret, in state and as an output. */
const SECRET_OUTPUTS = ["given", "passwords", "versionKey"];

export class Credentials extends DynamicResource {
    /** By user; secret. */
    declare public readonly passwords: pulumi.Output<Record<string, string>>;
    /** By user: changes with the password; not secret. */
    declare public readonly versions: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: CredentialsArgs, opts?: pulumi.CustomResourceOptions) {
        const users = pulumi.output(args.users).apply((u) => [...u].sort());
        const props = { users, given: pulumi.secret(args.given ?? {}), passwords: undefined, versions: undefined, versionKey: undefined };
        super(credentialsProvider, "Credentials", name, props, {
            ...opts,
            additionalSecretOutputs: [...SECRET_OUTPUTS, ...(opts?.additionalSecretOutputs ?? [])],
        });
    }
}
