//go:build !js

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScenarios runs every scenario of web/test/scenarios.js with the official client and
// with ours, as a classic script and as an ES module. Each record
// must equal the scenario's expected record in testdata/expected: for the official client,
// that proves the server and the scenario right; for ours, that it behaves as signalr.js.
// The expected records were written from the official client's runs and checked against
// its sources (dotnet/aspnetcore src/SignalR/clients/ts/signalr); E2E_UPDATE=1 rewrites
// them from the official client (review the diff).
func TestScenarios(t *testing.T) {
	for _, protocol := range []string{"json", "messagepack"} {
		t.Run(protocol, func(t *testing.T) {
			for _, name := range scenarioNames(t) {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					compareScenario(t, protocol, name)
				})
			}
		})
	}
}

func compareScenario(t *testing.T, protocol, name string) {
	query := "protocol=" + protocol
	official := runScenario(t, "official", name, query)
	ours := runScenario(t, "ours", name, query)
	oursESM := runScenario(t, "esm", name, query)
	golden := filepath.Join("testdata", "expected", name+".json")
	if protocol != "json" {
		golden = filepath.Join("testdata", "expected", protocol, name+".json")
	}
	if os.Getenv("E2E_UPDATE") != "" {
		b, _ := json.MarshalIndent(official, "", "  ")
		_ = os.MkdirAll(filepath.Dir(golden), 0o755)
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("scenario %s has no expected record: %v", name, err)
	}
	var expected map[string]any
	if err := json.Unmarshal(b, &expected); err != nil {
		t.Fatalf("%s: %v", golden, err)
	}
	for _, d := range differences("official", expected, official) {
		t.Errorf("the official client is not as expected: %s", d)
	}
	for _, d := range differences("ours", expected, ours) {
		t.Errorf("ours is not as expected: %s", d)
	}
	for _, d := range differences("ours (ES module)", expected, oursESM) {
		t.Errorf("our ES module is not as expected: %s", d)
	}
}

// scenarioNames reads the scenario names from web/test/scenarios.js, so that a scenario
// added there without expectations here fails instead of being skipped.
func scenarioNames(t *testing.T) []string {
	src, err := os.ReadFile("../web/test/scenarios.js")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src[strings.Index(string(src), "window.scenarios = {"):])
	var names []string
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "    async ") && strings.HasSuffix(line, "() {") {
			names = append(names, strings.TrimSuffix(strings.TrimPrefix(line, "    async "), "() {"))
		}
	}
	if len(names) == 0 {
		t.Fatal("no scenarios found in web/test/scenarios.js")
	}
	return names
}
