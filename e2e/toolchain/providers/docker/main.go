// pulumi-resource-docker: the Terraform docker provider (kreuzwerker) served
// as the Pulumi package "docker" through the Terraform bridge. Built by
// e2e/toolchain/pulumi-providers.sh, which copies the upstream module into
// ./upstream (beside the shim package), adds the bridge's version to go.mod
// and stamps both versions with -ldflags.
package main

import (
	"context"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"

	"github.com/terraform-providers/terraform-provider-docker/shim"
)

var (
	version         = "0.0.0-dev" // set with -ldflags "-X main.version=..."
	upstreamVersion = "0.0.0-dev" // the Terraform provider's: -ldflags "-X main.upstreamVersion=..."
)

func res(name string) *tfbridge.ResourceInfo {
	return &tfbridge.ResourceInfo{Tok: tfbridge.MakeResource("docker", "index", name)}
}

func fn(name string) *tfbridge.DataSourceInfo {
	return &tfbridge.DataSourceInfo{Tok: tfbridge.MakeDataSource("docker", "index", name)}
}

func main() {
	container := res("Container")
	container.DeleteBeforeReplace = true
	container.Fields = map[string]*tfbridge.SchemaInfo{
		"command":           {Name: "command"}, // one command: not pluralised
		"networks_advanced": {Name: "networksAdvanced"},
	}
	remoteImage := res("RemoteImage")
	remoteImage.Fields = map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}}

	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(shim.NewProvider(upstreamVersion)),
		Name:    "docker",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {Default: &tfbridge.DefaultInfo{
				EnvVars: []string{"DOCKER_HOST"},
				ComputeDefault: func(context.Context, tfbridge.ComputeDefaultOptions) (interface{}, error) {
					return "unix:///var/run/docker.sock", nil
				},
			}},
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		// Names that differ from the bridge's standard mapping (docker_x -> docker:index/x:X).
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config":    res("ServiceConfig"),
			"docker_container": container,
			"docker_image":     remoteImage,
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_image": fn("getRemoteImage"),
		},
	}
	info.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard("docker")))
	tfbridge.Main("docker", version, info, nil)
}
