/**
 * Text as a DNS label, for objects named after a user or a step (a Kubernetes Secret per user, a
 * tool Job): lower case, each run of other characters one '-', none at either end.
 * `Orders_App.1` -> `orders-app-1`.
 */
export function dnsLabel(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
}
