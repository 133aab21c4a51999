/**
 * Who gains or loses access, in Kafka terms: the changes of `cluster.users` (SCRAM users and their
 * ACLs) between two sides, for `compareClusters`. Users, ACLs and passwords are applied through
 * Kafka's API (no broker restarts), so the only question is who can do what afterwards: access
 * granted is safe, access taken away is dangerous and names who loses what.
 */
import { describePattern } from "./acls";
import { pairsByName } from "./pairs";
import { ResolvedAcl, ResolvedUser, compare } from "./resolve";
import { scramMechanism } from "./security";
import { Change, ChangeContext, Verdict, dangerous, safe } from "./verdict";

/** An ACL pattern as a path key: `topic:orders`, `group:orders-*`, `deny topic:payments from 10.0.0.9`. */
export function aclLabel(acl: Omit<ResolvedAcl, "operations">): string {
    const name = acl.patternType === "prefixed" ? `${acl.name}*` : acl.name;
    return `${acl.permission === "deny" ? "deny " : ""}${acl.resource}:${name}${acl.host === "*" ? "" : ` from ${acl.host}`}`;
}

/** What an ACL allows (or denies), in a sentence: `Write, Describe on topic orders`. */
function grants(acl: ResolvedAcl, operations: readonly string[] = acl.operations): string {
    return `${operations.join(", ")} on ${describePattern(acl)}${acl.host === "*" ? "" : ` from ${acl.host}`}`;
}

export function accessChanges(c: ChangeContext): Change[] {
    const changes: Change[] = [];
    for (const [name, b, a] of pairsByName(c.before.config.users, c.after.config.users)) {
        const path = `cluster.users[${JSON.stringify(name)}]`;
        if (!b || !a) {
            changes.push({ path, before: b && aclMap(b), after: a && aclMap(a), ...userVerdict(c, (a ?? b)!, a !== undefined) });
            continue;
        }
        const [was, is] = [aclMap(b), aclMap(a)];
        const patterns = new Map([...b.acls, ...a.acls].map((acl) => [aclLabel(acl), acl]));
        for (const label of [...patterns.keys()].sort(compare)) {
            const [ops0, ops1] = [was[label] ?? [], is[label] ?? []];
            if (ops0.join() === ops1.join()) continue;
            const acl = patterns.get(label)!;
            changes.push({
                path: `${path}.acls[${JSON.stringify(label)}]`,
                before: was[label],
                after: is[label],
                ...aclVerdict(name, acl, ops0, ops1),
            });
        }
    }
    return changes;
}

/** A user's ACLs as the report shows them: operations by pattern label. */
function aclMap(user: ResolvedUser): Record<string, readonly string[]> {
    return Object.fromEntries(user.acls.map((acl) => [aclLabel(acl), acl.operations]));
}

function userVerdict(c: ChangeContext, user: ResolvedUser, added: boolean): Verdict {
    const side = added ? c.after : c.before;
    const allows = user.acls.filter((acl) => acl.permission === "allow");
    if (added) {
        const mechanism = scramMechanism(side.config.security) ?? "no authentication";
        const count = user.acls.length === 1 ? "1 ACL" : `${user.acls.length} ACLs`;
        const what = !side.config.security.authorization
            ? "; ACLs are not enforced, so it may do anything"
            : allows.length === 0
              ? "; no ACL allows it anything yet"
              : `: ${allows.map((acl) => grants(acl)).join("; ")}`;
        return safe(`${user.name} can connect (${mechanism}) with ${count}${what}`);
    }
    const loses = allows.length > 0 ? `, and loses ${allows.map((acl) => grants(acl)).join("; ")}` : "";
    return dangerous(`${user.name} is removed: its credential is deleted, so clients using it can no longer connect${loses}`);
}

function aclVerdict(user: string, acl: ResolvedAcl, before: readonly string[], after: readonly string[]): Verdict {
    const lost = before.filter((op) => !after.includes(op));
    const gained = after.filter((op) => !before.includes(op));
    if (acl.permission === "deny") {
        return gained.length > 0
            ? dangerous(`${user} is denied ${grants(acl, gained)}${lost.length > 0 ? `; no longer denied ${lost.join(", ")}` : ""}`)
            : safe(`${user} is no longer denied ${grants(acl, lost)}`);
    }
    if (lost.length === 0) return safe(`${user} gains ${grants(acl, gained)}`);
    return dangerous(`${user} loses ${grants(acl, lost)}${gained.length > 0 ? `; gains ${gained.join(", ")}` : ""}`);
}

/**
 * The reason for a changed secret, when it is a user's password (`userPasswords.<user>`, from the
 * stack file's ciphertext, never decrypted); undefined for any other secret.
 */
export function passwordChangeReason(path: string, change: "added" | "changed" | "removed"): string | undefined {
    const prefix = "userPasswords.";
    if (!path.startsWith(prefix)) return undefined;
    const user = path.slice(prefix.length);
    const replaced = "its SCRAM credential is replaced in place (no restart); clients still using the old password fail to authenticate";
    if (change === "added") return `${user}'s password now comes from kafka-env:userPasswords instead of being generated: ${replaced}`;
    if (change === "removed") return `${user}'s password is generated from now on: ${replaced}`;
    return `${user}'s password changed (compared as ciphertext, never decrypted; re-encrypting the same value also shows here): if the value is new, ${replaced}`;
}
