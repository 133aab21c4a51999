/**
 * The step that gives kafka-env's own users (its admin, and kafka-ui's read-only user) their SCRAM
 * credentials once the brokers are ready, written once against `KafkaTools` so that each target
 * runs it where its tools run (Docker: `docker exec` in a broker, as the node; Kubernetes: a Job,
 * as the tools identity). Everything that logs in as the admin (the topics provider, users and
 * ACLs, kafka-ui) comes after it. `cluster.users` go through the provider instead (kafka/access.ts).
 *
 * It stores a credential when its user is new, its password changed or the mechanism changed, and
 * deletes the credentials of users kafka-env no longer has (kafka-ui no longer read-only). The
 * script (model/credentialScript.ts) then waits until every broker accepts the admin's login.
 */
import { KafkaTools } from "../day2/tools";
import { ClusterModel, Protocol, ScramMechanism, bootstrapSubset } from "../model";
import { credentialScript, passwordVariable } from "../model/credentialScript";
import { ADMIN_USER } from "../model/security";

export interface OwnCredentialSettings {
    readonly mechanism: ScramMechanism;
    /** By user: kafka-env's own users' passwords (`Credentials`); a secret input. */
    readonly passwords: Readonly<Record<string, string>>;
    /** Where clients log in (the first brokers' INTERNAL addresses) and how: every broker there must accept the admin. */
    readonly clients: { readonly bootstrap: string; readonly protocol: Protocol };
    readonly timeoutSeconds: number;
}

/** kafka-env's own users of a cluster with authentication: the admin, and kafka-ui's user when it has its own. */
export function ownUsers(model: ClusterModel): string[] {
    const ui = model.kafkaUi?.security?.user;
    return [...new Set([ADMIN_USER, ...(ui ? [ui] : [])])].sort();
}

/** The settings of `model`'s step, given the passwords; undefined without authentication. */
export function ownCredentialSettings(model: ClusterModel, timeoutSeconds: number): Omit<OwnCredentialSettings, "passwords"> | undefined {
    const s = model.security;
    if (!s?.mechanism) return undefined;
    return { mechanism: s.mechanism, clients: { bootstrap: bootstrapSubset(model.internalBootstrapServers).join(","), protocol: s.protocol }, timeoutSeconds };
}

/** Stores and deletes what changed from `olds` (undefined on a create) to `news`; resolves to what it printed. */
export async function storeOwnCredentials(tools: KafkaTools, olds: OwnCredentialSettings | undefined, news: OwnCredentialSettings): Promise<string> {
    const mechanismChanged = olds !== undefined && olds.mechanism !== news.mechanism;
    const store = Object.keys(news.passwords)
        .sort()
        .filter((u) => mechanismChanged || olds?.passwords[u] !== news.passwords[u]);
    const remove = Object.keys(olds?.passwords ?? {})
        .filter((u) => news.passwords[u] === undefined)
        .sort();
    if (store.length === 0 && remove.length === 0) return "";
    const vars = Object.fromEntries(store.map((u, i) => [passwordVariable(i), news.passwords[u]]));
    const admin = store.indexOf(ADMIN_USER);
    const script = credentialScript(tools.admin, {
        mechanism: news.mechanism,
        store,
        remove,
        ...(mechanismChanged ? { staleMechanism: olds.mechanism } : {}),
        ...(admin >= 0 ? { verify: { user: ADMIN_USER, index: admin } } : {}),
        clients: news.clients,
        timeoutSeconds: news.timeoutSeconds,
    });
    return tools.run("kafka-env's credentials", script, vars);
}
