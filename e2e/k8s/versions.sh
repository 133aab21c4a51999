# Versions of everything the local Kubernetes cluster is built from (sourced by build.sh and
# cluster.sh). The cache is keyed by these: change one and only that part is rebuilt.
KUBE_VERSION=${KUBE_VERSION:-v1.34.4}     # k8s.io/kubernetes; its staging modules are pinned to v0.34.x
ETCD_VERSION=${ETCD_VERSION:-v3.6.16}     # go.etcd.io/etcd/server/v3
COREDNS_VERSION=${COREDNS_VERSION:-v1.14.7}
CRICTL_VERSION=${CRICTL_VERSION:-v1.34.0} # sigs.k8s.io/cri-tools
LOCAL_PATH_VERSION=${LOCAL_PATH_VERSION:-v0.0.30}  # github.com/rancher/local-path-provisioner
KNP_VERSION=${KNP_VERSION:-v0.8.0}         # sigs.k8s.io/kube-network-policies (the NetworkPolicy controller)
JMX_AGENT_VERSION=${JMX_AGENT_VERSION:-1.0.1}  # io.prometheus.jmx:jmx_prometheus_javaagent (Maven Central)

K8S_CACHE=${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}/k8s
K8S_KUBE_BIN=$K8S_CACHE/kubernetes/$KUBE_VERSION
K8S_ETCD_BIN=$K8S_CACHE/etcd/$ETCD_VERSION
K8S_COREDNS_BIN=$K8S_CACHE/coredns/$COREDNS_VERSION
K8S_CRICTL_BIN=$K8S_CACHE/crictl/$CRICTL_VERSION
K8S_LOCAL_PATH_BIN=$K8S_CACHE/local-path-provisioner/$LOCAL_PATH_VERSION
K8S_KNP_BIN=$K8S_CACHE/kube-network-policies/$KNP_VERSION
K8S_JMX_AGENT=$K8S_CACHE/jmx-agent/jmx_prometheus_javaagent-$JMX_AGENT_VERSION.jar
K8S_DEBS=$K8S_CACHE/debian        # containerd, CNI plugins, busybox-static: extracted, not installed
K8S_IMAGES=$K8S_CACHE/images      # pause, busybox, coredns, local-path-provisioner (docker-archive tars)
