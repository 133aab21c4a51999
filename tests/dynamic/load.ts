/** Loading a dynamic provider as the engine receives it, for the tests that run serialized providers. */
import Module from "node:module";
import * as path from "node:path";

export interface Provider {
    check?(olds: object, news: object): Promise<{ inputs: object; failures?: { property: string; reason: string }[] }>;
    diff(id: string, olds: object, news: object): Promise<{ changes?: boolean; replaces?: string[] }>;
    create(inputs: object): Promise<{ id: string; outs: Record<string, unknown> }>;
    update(id: string, olds: object, news: object): Promise<{ outs: Record<string, unknown> }>;
}

/** What the provider host does with `__provider` (require-from-string): compile it as a module, call its handler. */
export function load(text: string): Provider {
    const filename = path.join(__dirname, "..", "..", "serialized-provider.js");
    const m = new Module(filename) as Module & { _compile(code: string, file: string): void };
    m.filename = filename;
    m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
    m._compile(text, filename);
    return (m.exports as { handler: () => Provider }).handler();
}
