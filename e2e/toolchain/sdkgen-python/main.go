// Command pulumi-sdkgen-python writes the Python SDK of a Pulumi package from its schema.
//
//	pulumi-sdkgen-python SCHEMA.json OUT_DIR
//
// It does what `pulumi package gen-sdk --language python` asks of the Python language host
// (its GeneratePackage call), with the Python code generator of the CLI's own module
// (github.com/pulumi/pulumi/pkg/v3/codegen/python). The Python language host that can be built
// here (sdk/v3 v3.68.0, the last release that contains it) predates that call, so the CLI alone
// answers "method GeneratePackage not implemented".
//
// Only self-contained schemas are supported: a schema that refers to another package's types
// (a "/kubernetes/v4.x/schema.json#/..." reference, or "dependencies") is refused with the
// package's name, since no plugin host is started to load it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-sdkgen-python"

// selfContained is a schema loader that loads nothing: it names the package that was asked for.
type selfContained struct{}

func refuse(name string) error {
	return fmt.Errorf("the schema refers to package %q; %s generates self-contained packages only", name, tool)
}

func (selfContained) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, refuse(pkg)
}

func (selfContained) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, refuse(d.Name)
}

func (selfContained) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, refuse(pkg)
}

func (selfContained) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, refuse(d.Name)
}

func generate(schemaPath, outDir string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, selfContained{}, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", schemaPath, diags.Error())
	}
	files, err := python.GeneratePackage(tool, pkg, nil, selfContained{})
	if err != nil {
		return err
	}
	if err := os.RemoveAll(outDir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(outDir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "%s: wrote %d files of package %s %s to %s\n", tool, len(names), pkg.Name, pkg.Version, outDir)
	return nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintf(os.Stderr, "usage: %s SCHEMA.json OUT_DIR\n", tool)
		os.Exit(2)
	}
	if err := generate(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", tool, err)
		os.Exit(1)
	}
}
