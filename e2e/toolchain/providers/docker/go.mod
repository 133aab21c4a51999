// pulumi-resource-docker. e2e/toolchain/pulumi-providers.sh copies the upstream module
// (kreuzwerker's Terraform provider) into ./upstream, beside the shim package there, and adds
// the Terraform bridge and the plugin SDK fork from its pins with `go mod edit`.
module kafka-env.local/pulumi-resource-docker

go 1.25

require github.com/terraform-providers/terraform-provider-docker v0.0.0

replace github.com/terraform-providers/terraform-provider-docker => ./upstream
