/** What @platformatic/kafka's errors say, for the e2e tests' own failure messages. */

/**
 * An error of @platformatic/kafka with what it gathers: "joinGroup failed 4 times" says nothing of
 * why; the distinct messages (and Kafka error codes) of the errors inside it and their causes do.
 */
export function explained(e: unknown): string {
    const seen = new Set<string>();
    const walk = (x: unknown, depth: number): void => {
        if (!(x instanceof Error) || depth > 6) return;
        const code = (x as { apiId?: string }).apiId;
        seen.add(`${x.message}${code ? ` [${code}]` : ""}`);
        for (const inner of (x as AggregateError).errors ?? []) walk(inner, depth + 1);
        walk(x.cause, depth + 1);
    };
    walk(e, 0);
    return [...seen].join("; ") || String(e);
}
