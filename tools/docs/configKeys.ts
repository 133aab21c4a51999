/**
 * Reads the configuration keys out of the config types with the TypeScript compiler: every
 * property of `ClusterConfig` and `KubernetesConfig`, nested objects and the items of lists
 * included, with its type and its doc comment split into a description and a stated default.
 * Nothing here knows the keys by name, so a key added to a type shows up in the reference.
 */
import * as path from "node:path";
import * as ts from "typescript";

export interface DocumentedKey {
    /** Dotted path below the section's root: `replication.minInsyncReplicas`, `topics[].name`. */
    readonly path: string;
    /** The type as a reader writes it: `integer`, `string`, `boolean`, `"zookeeper"` or `"kraft"`, ... */
    readonly type: string;
    /** The doc comment without its `Default: ...` / `Required.` sentence. */
    readonly description: string;
    /** What follows `Default:` (or `Defaults:`) in the doc comment, without the final full stop. */
    readonly statedDefault?: string;
    /** The doc comment says `Required.` */
    readonly required: boolean;
    /** An object whose own keys follow as rows of their own. */
    readonly isObject: boolean;
}

/** A config type to document: the file that declares it and the interface's name. */
export interface ConfigRoot {
    readonly file: string;
    readonly interfaceName: string;
}

export const CLUSTER_ROOT: ConfigRoot = { file: "components/model/config.ts", interfaceName: "ClusterConfig" };
export const KUBERNETES_ROOT: ConfigRoot = { file: "components/kubernetes/config.ts", interfaceName: "KubernetesConfig" };

/** Strict type-checking of sources that import node modules (@pulumi/pulumi's `Input`), nothing emitted. */
export const STRICT_NODE_OPTIONS: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
    skipLibCheck: true,
};

/** The type-checked program over the config files, built once per call site. */
export function configProgram(repoRoot: string, roots: readonly ConfigRoot[]): ts.Program {
    const files = roots.map((r) => path.join(repoRoot, r.file));
    return ts.createProgram(files, STRICT_NODE_OPTIONS);
}

/** Every key of `root`'s interface, parents before their children, in declaration order. */
export function documentedKeys(program: ts.Program, repoRoot: string, root: ConfigRoot): DocumentedKey[] {
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(path.join(repoRoot, root.file));
    if (!source) throw new Error(`${root.file}: not found`);
    const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === root.interfaceName);
    if (!declaration) throw new Error(`${root.file}: no interface ${root.interfaceName}`);
    const keys: DocumentedKey[] = [];
    walk(checker, checker.getTypeAtLocation(declaration), "", keys, `${root.file}: ${root.interfaceName}`);
    return keys;
}

/** A type alias of `root`'s file, as a reader writes it, with its doc comment (`Target`, `Mode`). */
export function documentedAlias(program: ts.Program, repoRoot: string, file: string, name: string): { type: string; description: string } {
    const checker = program.getTypeChecker();
    const alias = program
        .getSourceFile(path.join(repoRoot, file))
        ?.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
    if (!alias) throw new Error(`${file}: no type ${name}`);
    const symbol = checker.getSymbolAtLocation(alias.name);
    const description = symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, " ").trim() : "";
    return { type: typeName(checker, checker.getTypeAtLocation(alias)), description };
}

function walk(checker: ts.TypeChecker, type: ts.Type, prefix: string, out: DocumentedKey[], where: string): void {
    for (const property of checker.getPropertiesOfType(type)) {
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        if (!declaration) throw new Error(`${where}: ${prefix}${property.name} has no declaration`);
        const propertyType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
        const keyPath = `${prefix}${property.name}`;
        const comment = ts.displayPartsToString(property.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
        const { description, statedDefault, required } = splitComment(comment);
        const item = listItem(checker, propertyType);
        const nested = item ?? propertyType;
        const isObject = hasDocumentedKeys(checker, nested);
        out.push({ path: keyPath, type: typeName(checker, propertyType), description, statedDefault, required, isObject });
        if (isObject) walk(checker, nested, item ? `${keyPath}[].` : `${keyPath}.`, out, where);
    }
}

/** Splits `... Default: X. ...` and `Required.` out of a doc comment. */
export function splitComment(comment: string): { description: string; statedDefault?: string; required: boolean } {
    let text = comment;
    let statedDefault: string | undefined;
    // The default runs to the first full stop that ends a sentence (not the dots of `0.0.0.0` or `defaults.ts`).
    const match = /(?:^|\s)Defaults?: (.+?)\.(?=\s|$)/.exec(text);
    if (match) {
        statedDefault = match[1].trim();
        text = (text.slice(0, match.index) + text.slice(match.index + match[0].length)).trim();
    }
    const required = /(?:^|\s)Required\.(?=\s|$)/.test(text);
    if (required) text = text.replace(/(?:^|\s)Required\.(?=\s|$)/, "").trim();
    return { description: text.replace(/\s+/g, " "), statedDefault, required };
}

function listItem(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
    return checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference)[0] : undefined;
}

/** An object type whose keys are declared one by one (an interface or a type literal), not a map. */
function hasDocumentedKeys(checker: ts.TypeChecker, type: ts.Type): boolean {
    if (!(type.flags & ts.TypeFlags.Object) || checker.getIndexInfosOfType(type).length > 0) return false;
    const properties = checker.getPropertiesOfType(type);
    return properties.length > 0 && properties.every((p) => p.valueDeclaration !== undefined && ts.isPropertySignature(p.valueDeclaration));
}

/** The type as the stack file sees it. */
function typeName(checker: ts.TypeChecker, type: ts.Type): string {
    // `pulumi.Input<T>`: a stack file sets T; a program may pass an output.
    const input = type.aliasSymbol?.name === "Input" ? type.aliasTypeArguments?.[0] : undefined;
    if (input) return `${typeName(checker, input)} (a program may pass an output)`;
    if (type.flags & ts.TypeFlags.BooleanLike) return "boolean";
    if (type.flags & ts.TypeFlags.NumberLike) return "integer";
    if (type.flags & ts.TypeFlags.StringLike && !type.isStringLiteral()) return "string";
    if (type.isUnion() && type.types.every((t) => t.isStringLiteral())) {
        return oneOf(type.types.map((t) => `\`${t.value}\``));
    }
    if (type.isStringLiteral()) return `\`${type.value}\``;
    const item = listItem(checker, type);
    if (item) return hasDocumentedKeys(checker, item) ? "list of objects" : `list of ${typeName(checker, item)}`;
    const index = checker.getIndexInfosOfType(type);
    if (index.length === 1 && index[0].keyType.flags & ts.TypeFlags.String) return `map of ${typeName(checker, index[0].type)}s`;
    if (hasDocumentedKeys(checker, type)) return "object";
    // A map over a fixed set of keys (`Partial<Record<Workload, ...>>`): name the keys and what each holds.
    const properties = checker.getPropertiesOfType(type);
    if (properties.length > 0) {
        const first = checker.getNonNullableType(checker.getTypeOfSymbol(properties[0]));
        const inner = checker.getPropertiesOfType(first).map((p) => p.name);
        const holds = inner.length > 0 ? `, each \`{${inner.join(", ")}}\`` : "";
        return `object with keys ${properties.map((p) => `\`${p.name}\``).join(", ")}${holds}`;
    }
    return checker.typeToString(type);
}

function oneOf(values: readonly string[]): string {
    return values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}
