/** What @platformatic/kafka's errors say, for the e2e tests' own failure messages. */

/**
 * An error of @platformatic/kafka with what it gathers: "joinGroup failed 4 times" says nothing of
 * why; the distinct messages (and Kafka error codes) of the errors inside it and their causes do.
 */
export function explained(e: unknown): string {
    const said = new Set<string>();
    const visited = new Set<Error>();
    const walk = (x: unknown): void => {
        if (!(x instanceof Error) || visited.has(x)) return;
        visited.add(x);
        const code = (x as { apiId?: string }).apiId;
        said.add(`${x.message}${code ? ` [${code}]` : ""}`);
        for (const inner of (x as AggregateError).errors ?? []) walk(inner);
        walk(x.cause);
    };
    walk(e);
    return [...said].join("; ") || String(e);
}

/** Whether `e`, one of the errors it gathers or one of their causes has `property` = `value` (`findErrorBy` follows no causes). */
export function hasError(e: unknown, property: string, value: unknown): boolean {
    if (!(e instanceof Error)) return false;
    if ((e as unknown as Record<string, unknown>)[property] === value) return true;
    return hasError(e.cause, property, value) || ((e as AggregateError).errors ?? []).some((x: unknown) => hasError(x, property, value));
}
