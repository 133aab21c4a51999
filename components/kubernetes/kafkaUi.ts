/**
 * kafka-ui: its Deployment (login password from a Secret, when set) and its Service. On a secured
 * cluster its Kafka login (`sasl.jaas.config`) comes from a Secret and the CA's certificate from
 * the CA Secret, mounted where the model's `kafkaUi.security.files` say.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KafkaUiModel } from "../model";
import { ResolvedKubernetes } from "./config";
import { SKIP_AWAIT, labels, meta } from "./labels";
import { podMetadata, podScheduling } from "./placement";
import { podSecurityContext, restrictedContainer } from "./podSecurity";

export function kafkaUiDeployment(
    env: string,
    namespace: pulumi.Input<string>,
    ui: KafkaUiModel,
    k: ResolvedKubernetes,
    passwordSecret?: pulumi.Input<string>,
    kafkaLogin?: { readonly jaasSecret?: pulumi.Input<string>; readonly caSecret?: pulumi.Input<string> },
): k8s.apps.v1.DeploymentArgs {
    const podLabels = labels(env, "kafka-ui");
    const envVars: k8s.types.input.core.v1.EnvVar[] = Object.entries(ui.env).map(([name, value]) => ({ name, value }));
    if (passwordSecret !== undefined) {
        envVars.push({ name: "SPRING_SECURITY_USER_PASSWORD", valueFrom: { secretKeyRef: { name: passwordSecret, key: "password" } } });
    }
    const secretEnv = ui.security?.secretEnv;
    if (kafkaLogin?.jaasSecret !== undefined && secretEnv !== undefined) {
        envVars.push({ name: secretEnv, valueFrom: { secretKeyRef: { name: kafkaLogin.jaasSecret, key: "sasl.jaas.config" } } });
    }
    const ca = ui.security?.files.find((f) => f.source.kind === "caCertificate");
    const caMount =
        ca && kafkaLogin?.caSecret !== undefined
            ? { dir: ca.path.slice(0, ca.path.lastIndexOf("/")), file: ca.path.slice(ca.path.lastIndexOf("/") + 1) }
            : undefined;
    const volumes: k8s.types.input.core.v1.Volume[] = [{ name: "tmp", emptyDir: {} }];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [{ name: "tmp", mountPath: "/tmp" }];
    if (caMount) {
        volumes.push({ name: "ca", secret: { secretName: kafkaLogin!.caSecret!, items: [{ key: "ca.crt", path: caMount.file }] } });
        mounts.push({ name: "ca", mountPath: caMount.dir, readOnly: true });
    }
    return {
        metadata: { ...meta(env, namespace, `${env}-kafka-ui`, "kafka-ui"), annotations: SKIP_AWAIT },
        spec: {
            replicas: 1,
            selector: { matchLabels: podLabels },
            template: {
                metadata: podMetadata(k, podLabels),
                spec: {
                    enableServiceLinks: false,
                    automountServiceAccountToken: false,
                    securityContext: podSecurityContext(),
                    ...podScheduling(k),
                    // A read-only root: the JVM and the web server's temporary files go to /tmp.
                    volumes,
                    containers: [
                        {
                            name: "kafka-ui",
                            image: ui.image,
                            env: envVars,
                            ports: [{ name: "http", containerPort: ui.port }],
                            resources: k.resources.kafkaUi,
                            readinessProbe: { httpGet: { path: "/actuator/health", port: "http" }, initialDelaySeconds: 20, periodSeconds: 10 },
                            livenessProbe: { tcpSocket: { port: "http" }, initialDelaySeconds: 60, periodSeconds: 20 },
                            securityContext: restrictedContainer(k.podSecurity.readOnlyRootFilesystem),
                            volumeMounts: mounts,
                        },
                    ],
                },
            },
        },
    };
}

export function kafkaUiService(env: string, namespace: pulumi.Input<string>, ui: KafkaUiModel): k8s.core.v1.ServiceArgs {
    return {
        metadata: meta(env, namespace, `${env}-kafka-ui`, "kafka-ui"),
        spec: { selector: labels(env, "kafka-ui"), ports: [{ name: "http", port: ui.port, targetPort: "http" }] },
    };
}
