// pulumi-sdkgen-python. e2e/toolchain/pulumi-python.sh requires github.com/pulumi/pulumi/pkg/v3
// and sdk/v3 at the CLI's version with `go mod edit`, and copies pkg/v3's replaces.
module kafka-env.local/pulumi-sdkgen-python

go 1.25
