// pulumi-resource-kafka. e2e/toolchain/pulumi-providers.sh adds the upstream module
// (Mongey's Terraform provider), the Terraform bridge and the plugin SDK fork from its pins
// with `go mod edit`.
module kafka-env.local/pulumi-resource-kafka

go 1.25
