/**
 * How nodes are reached on Docker: by container host name on the environment's network, and from
 * the host through one published port per broker, advertised as `<advertisedHost>:<port>`.
 */
import { Addressing, ResolvedConfig } from "../model";

export function dockerAddressing(c: ResolvedConfig): Addressing {
    const l = c.listeners;
    return {
        internalHost: (name) => name,
        external: (index) => {
            const port = l.externalPort + index;
            return {
                host: l.advertisedHost,
                port,
                containerPort: port,
                publish: { containerPort: port, hostPort: port, hostIp: l.bindAddress },
            };
        },
    };
}
