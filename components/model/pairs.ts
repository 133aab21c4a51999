/**
 * Two lists of named items (topics, users) side by side: every name on either side, sorted, with
 * its item before and after (undefined where it is missing).
 */
import { compare } from "./resolve";

export function pairsByName<T extends { readonly name: string }>(before: readonly T[], after: readonly T[]): [string, T | undefined, T | undefined][] {
    const byName = (items: readonly T[]) => new Map(items.map((item) => [item.name, item]));
    const [b, a] = [byName(before), byName(after)];
    return [...new Set([...b.keys(), ...a.keys()])].sort(compare).map((name) => [name, b.get(name), a.get(name)]);
}
