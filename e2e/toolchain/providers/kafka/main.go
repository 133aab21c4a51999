// pulumi-resource-kafka: github.com/Mongey/terraform-provider-kafka served as
// the Pulumi package "kafka" through the Terraform bridge. Built by
// e2e/toolchain/pulumi-providers.sh, which adds the required module versions
// to go.mod (its pins table) and stamps the version with -ldflags.
package main

import (
	"strings"
	"unicode"

	"github.com/Mongey/terraform-provider-kafka/kafka"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
)

var version = "0.0.0-dev" // set with -ldflags "-X main.version=..."

// envDefault: the provider setting defaults to the first set variable, else to value.
func envDefault(value interface{}, vars ...string) *tfbridge.SchemaInfo {
	return &tfbridge.SchemaInfo{Default: &tfbridge.DefaultInfo{EnvVars: vars, Value: value}}
}

func main() {
	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(kafka.Provider()),
		Name:    "kafka",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			"sasl_mechanism":  envDefault("plain", "KAFKA_SASL_MECHANISM"),
			"skip_tls_verify": envDefault(false, "KAFKA_SKIP_VERIFY"),
			"tls_enabled":     envDefault(true, "KAFKA_ENABLE_TLS"),
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			// The SDK renames these two Acl inputs.
			"kafka_acl": {Fields: map[string]*tfbridge.SchemaInfo{
				"resource_name": {Name: "aclResourceName"},
				"resource_type": {Name: "aclResourceType"},
			}},
		},
	}
	// Resources are kafka:index/<lowerName>:<Name>; functions are kafka:index:get<Name>.
	info.MustComputeTokens(tokens.SingleModule("kafka_", "index", func(module, name string) (string, error) {
		if strings.HasPrefix(name, "get") {
			return "kafka:" + module + ":" + name, nil
		}
		return "kafka:" + module + "/" + string(unicode.ToLower(rune(name[0]))) + name[1:] + ":" + name, nil
	}))
	tfbridge.Main("kafka", version, info, nil)
}
