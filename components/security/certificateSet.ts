/**
 * The certificates of one cluster as plain data, and how one `pulumi up` moves them on: the CA
 * (generated once, or the one given in `kafka-env:caCertificate`/`caKey`), a certificate per node
 * covering the names it answers to, and one for kafka-env's tools. A certificate is kept until its
 * names or its CA change or it comes within `renewalDays` of its expiry; then it is issued anew
 * (new key, new serial). Pure but for the keys and serials: callers pass `now`.
 *
 * Modules are `require`d inside the functions: they run serialized in Pulumi's provider host.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- `require` is what survives serialization (see above). */
import { Issued, createCa, issue, pemKeystore } from "./pki";

/** The holder name of the tools certificate, beside the nodes' names. */
export const TOOLS_HOLDER = "tools";

export interface IssuedCertificate {
    readonly commonName: string;
    readonly certPem: string;
    /** ISO 8601. */
    readonly notAfter: string;
    /** The DNS names and addresses it covers, sorted. */
    readonly names: readonly string[];
}

export interface CertificatesState {
    /** Common names of the CA, the nodes and the tools (`subjects`, model/security.ts). */
    readonly subjects: { readonly ca: string; readonly node: string; readonly tools: string };
    /** By node name: the names its certificate must cover (`NodeModel.security.tlsNames`). */
    readonly nodes: Readonly<Record<string, readonly string[]>>;
    readonly validityDays: number;
    readonly renewalDays: number;
    readonly caValidityDays: number;
    /** The CA from `kafka-env:caCertificate` and `kafka-env:caKey`: a secret input. */
    readonly givenCa?: { readonly certPem: string; readonly keyPem: string };
    /** Outputs. The CA's certificate, PEM: what clients trust. */
    readonly caCertificate?: string;
    /** A generated CA's key; secret. */
    readonly caKey?: string;
    readonly caNotAfter?: string;
    /** By holder (node names and `tools`). */
    readonly certificates?: Readonly<Record<string, IssuedCertificate>>;
    /** By holder: key and chain, as `ssl.keystore.type=PEM` reads them; secret. */
    readonly keystores?: Readonly<Record<string, string>>;
    /** The earliest expiry of any holder's certificate, ISO 8601. */
    readonly notAfter?: string;
    /** Counts the times certificates in use were replaced (renewal, another CA, other names): rolls the nodes. */
    readonly generation?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Within `renewalDays` of `notAfter`, when a new certificate would last longer (the CA outlives it). */
export function renewalDue(cert: Pick<IssuedCertificate, "notAfter">, renewalDays: number, caNotAfter: string, now: Date): boolean {
    const end = Date.parse(cert.notAfter);
    return now.getTime() >= end - renewalDays * DAY_MS && Date.parse(caNotAfter) > end;
}

/** Whether a deployed set has a certificate to renew: an update is due though no input changed. */
export function certificatesDue(state: CertificatesState, now: Date): boolean {
    const ca = state.caNotAfter;
    if (!ca) return false;
    return Object.values(state.certificates ?? {}).some((c) => renewalDue(c, state.renewalDays, ca, now));
}

/** The CA to sign with: the given one, the one generated before, or a new one. */
function currentCa(previous: CertificatesState | undefined, news: CertificatesState, now: Date): { ca: Issued; generated: boolean } {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    if (news.givenCa) {
        const keyPem = crypto.createPrivateKey(news.givenCa.keyPem).export({ type: "pkcs8", format: "pem" }) as string;
        const notAfter = new Date(new crypto.X509Certificate(news.givenCa.certPem).validTo).toISOString();
        return { ca: { certPem: news.givenCa.certPem, keyPem, notAfter }, generated: false };
    }
    if (previous?.caCertificate && previous.caKey && !previous.givenCa && previous.caNotAfter) {
        return { ca: { certPem: previous.caCertificate, keyPem: previous.caKey, notAfter: previous.caNotAfter }, generated: true };
    }
    return { ca: createCa(news.subjects.ca, news.caValidityDays, now), generated: true };
}

/**
 * The outputs for `news`: every certificate of `previous` that still fits is kept as it is, the
 * others are issued. `previous` is undefined on create.
 */
export function settleCertificates(previous: CertificatesState | undefined, news: CertificatesState, now: Date): CertificatesState {
    const { ca, generated } = currentCa(previous, news, now);
    const sameCa = previous?.caCertificate === ca.certPem;
    const holders: [string, string, readonly string[]][] = [
        ...Object.keys(news.nodes)
            .sort()
            .map((name): [string, string, readonly string[]] => [name, news.subjects.node, [...news.nodes[name]].sort()]),
        [TOOLS_HOLDER, news.subjects.tools, []],
    ];
    const certificates: Record<string, IssuedCertificate> = {};
    const keystores: Record<string, string> = {};
    let replaced = false;
    for (const [holder, commonName, names] of holders) {
        const old = previous?.certificates?.[holder];
        const oldKeystore = previous?.keystores?.[holder];
        const fits =
            old !== undefined &&
            oldKeystore !== undefined &&
            sameCa &&
            old.commonName === commonName &&
            old.names.join() === names.join() &&
            !renewalDue(old, news.renewalDays, ca.notAfter, now);
        if (fits) {
            certificates[holder] = old;
            keystores[holder] = oldKeystore;
            continue;
        }
        replaced ||= old !== undefined;
        const fresh = issue(ca, { commonName, names }, news.validityDays, now);
        certificates[holder] = { commonName, certPem: fresh.certPem, notAfter: fresh.notAfter, names };
        keystores[holder] = pemKeystore(fresh, ca.certPem);
    }
    const notAfter = Object.values(certificates)
        .map((c) => c.notAfter)
        .sort()[0];
    return {
        ...news,
        caCertificate: ca.certPem,
        ...(generated ? { caKey: ca.keyPem } : {}),
        caNotAfter: ca.notAfter,
        certificates,
        keystores,
        notAfter,
        generation: (previous?.generation ?? 0) + (previous === undefined || replaced ? 1 : 0),
    };
}

/** Why a given CA cannot sign kafka-env's certificates; never quotes the PEM. */
export function caProblems(given: CertificatesState["givenCa"], now: Date): string[] {
    if (!given) return [];
    const crypto = require("node:crypto") as typeof import("node:crypto");
    let cert: import("node:crypto").X509Certificate;
    try {
        cert = new crypto.X509Certificate(given.certPem);
    } catch {
        return ["kafka-env:caCertificate is not a PEM certificate; set the CA's certificate (-----BEGIN CERTIFICATE-----)"];
    }
    const problems: string[] = [];
    if (!cert.ca) problems.push("kafka-env:caCertificate is not a CA certificate (its basic constraints say CA:FALSE); give the certificate of a CA");
    if (Date.parse(cert.validTo) <= now.getTime())
        problems.push(`kafka-env:caCertificate expired on ${new Date(cert.validTo).toISOString()}; give a CA that is still valid`);
    let key: import("node:crypto").KeyObject;
    try {
        key = crypto.createPrivateKey(given.keyPem);
    } catch {
        return [...problems, "kafka-env:caKey is not an unencrypted PEM private key; set the CA's key without a passphrase"];
    }
    if (key.asymmetricKeyType !== "rsa")
        problems.push(`kafka-env:caKey is an ${key.asymmetricKeyType ?? "unknown"} key; kafka-env signs with RSA CA keys only`);
    else if (!cert.checkPrivateKey(key))
        problems.push("kafka-env:caKey is not the private key of kafka-env:caCertificate; give the pair that belongs together");
    return problems;
}
