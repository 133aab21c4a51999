/**
 * The certificate work of kafka-env's own CA, as plain functions: RSA keys from `node:crypto`
 * (native), X.509 certificates from node-forge. Nothing here keeps state or reads a clock: callers
 * pass `now`, so tests can put any day in it.
 *
 * Every Kafka node and tool reads its key from a PEM file (`ssl.keystore.type=PEM`) with an
 * unencrypted key: no keystore password exists, so none can leak into a setting or a log.
 *
 * Modules are `require`d inside the functions: the certificates' dynamic provider runs in Pulumi's
 * provider host, which receives these functions serialized, and a `require` call is what survives
 * that (as in kubernetes/kubeapi.ts).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- `require` is what survives serialization (see above). */
import type * as Forge from "node-forge";

/** A key and its certificate, both PEM: the key unencrypted PKCS#8, the certificate X.509. */
export interface KeyPair {
    readonly keyPem: string;
    readonly certPem: string;
}

export interface Issued extends KeyPair {
    /** The certificate's last valid moment, ISO 8601. */
    readonly notAfter: string;
}

/** What a certificate says about its holder. */
export interface Subject {
    /** The holder's name: `CN=<commonName>,O=kafka-env` is the principal Kafka sees. */
    readonly commonName: string;
    /** Host names and IP addresses the holder answers on (IP addresses become IP SANs). */
    readonly names?: readonly string[];
}

/** The organisation of every certificate kafka-env issues: `ORGANIZATION` in model/security.ts, the principals' `O=`. */
const ORGANIZATION = "kafka-env";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A certificate is valid from a little before it is made: clocks differ between machines. */
const BACKDATE_MS = 60 * 60 * 1000;

/** A new RSA-2048 private key, PKCS#8 PEM. */
export function newKey(): string {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    return crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
}

/** A self-signed CA valid for `days` from `now`. */
export function createCa(commonName: string, days: number, now: Date): Issued {
    const keyPem = newKey();
    const cert = certificate(keyPem, { commonName }, days, now);
    cert.setIssuer(cert.subject.attributes);
    cert.setExtensions([
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        { name: "subjectKeyIdentifier" },
    ]);
    const forge = require("node-forge") as typeof Forge;
    cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
    return { keyPem, certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, "\n"), notAfter: cert.validity.notAfter.toISOString() };
}

/**
 * A certificate for `subject`, signed by `ca`, for both ends of a TLS connection (a node is a
 * server to clients and a client to other nodes). Valid for `days` from `now`, but never past the
 * CA's own expiry. `keyPem`: keep this key (default: a new one).
 */
export function issue(ca: KeyPair, subject: Subject, days: number, now: Date, keyPem: string = newKey()): Issued {
    const forge = require("node-forge") as typeof Forge;
    const caCert = forge.pki.certificateFromPem(ca.certPem);
    const cert = certificate(keyPem, subject, days, now);
    if (cert.validity.notAfter > caCert.validity.notAfter) cert.validity.notAfter = caCert.validity.notAfter;
    cert.setIssuer(caCert.subject.attributes);
    const net = require("node:net") as typeof import("node:net");
    const altNames = [...new Set(subject.names ?? [])].map((n) => (net.isIP(n) ? { type: 7, ip: n } : { type: 2, value: n }));
    cert.setExtensions([
        { name: "basicConstraints", cA: false, critical: true },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true, clientAuth: true },
        ...(altNames.length > 0 ? [{ name: "subjectAltName", altNames }] : []),
        { name: "subjectKeyIdentifier" },
        { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
    return { keyPem, certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, "\n"), notAfter: cert.validity.notAfter.toISOString() };
}

/** An unsigned certificate for `keyPem`'s public key: subject, validity and a random serial. */
function certificate(keyPem: string, subject: Subject, days: number, now: Date): Forge.pki.Certificate {
    const forge = require("node-forge") as typeof Forge;
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const key = forge.pki.privateKeyFromPem(keyPem);
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    // 16 random bytes, the first below 0x80: a positive serial of at most 16 bytes (RFC 5280).
    const serial = crypto.randomBytes(16);
    serial[0] &= 0x7f;
    cert.serialNumber = serial.toString("hex");
    cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
    cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
    // Organisation first: Java names it `CN=<cn>,O=kafka-env` (RFC 2253 reverses the order), the
    // form `super.users` and ACL principals are written in.
    cert.setSubject([
        { name: "organizationName", value: ORGANIZATION },
        { name: "commonName", value: subject.commonName },
    ]);
    return cert;
}

/** The key and its chain as one PEM file: what Kafka's PEM keystore (`ssl.keystore.type=PEM`) reads without a password. */
export function pemKeystore(pair: KeyPair, caPem: string): string {
    return [pair.keyPem, pair.certPem, caPem].map((p) => p.replace(/\r\n/g, "\n").trimEnd()).join("\n") + "\n";
}

/** The names a certificate covers (DNS and IP SANs), sorted. */
export function certificateNames(certPem: string): string[] {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    const alt = new crypto.X509Certificate(certPem).subjectAltName ?? "";
    return alt
        .split(", ")
        .filter((n) => n !== "")
        .map((n) => n.replace(/^(DNS|IP Address):/, ""))
        .sort();
}

/** SHA-256 fingerprint of a PEM certificate, hex with colons (as `openssl x509 -fingerprint -sha256`). */
export function fingerprint(certPem: string): string {
    const crypto = require("node:crypto") as typeof import("node:crypto");
    return new crypto.X509Certificate(certPem).fingerprint256;
}
