// Package shim exposes the SDKv2 provider of the internal provider package.
// e2e/toolchain/pulumi-providers.sh copies it into the upstream module (a
// package under internal/ can only be imported from inside its own module).
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the Terraform (SDKv2) docker provider.
func NewProvider(version string) *schema.Provider { return provider.New(version)() }
