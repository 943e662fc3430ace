//go:build !js

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScenariosInWebKit runs every scenario with the official client and with ours in
// WebKit (Safari's engine: webkit2gtk's MiniBrowser, driven by WebKitWebDriver under Xvfb) and
// compares the two records: what signalr.js does in WebKit is the expectation there, since
// a browser's own texts (a failed fetch, a JSON.parse error) differ from Chromium's, which
// the recorded expectations hold. `make test` runs it (test-webkit, SIGNALR_WEBKIT=1); it
// needs Debian's webkit2gtk-driver and xvfb. SIGNALR_WEBKIT_ONLY=a,b runs only those scenarios.
func TestScenariosInWebKit(t *testing.T) {
	if os.Getenv("SIGNALR_WEBKIT") == "" {
		t.Skip("WebKit runs with `make test-webkit` (part of `make test`)")
	}
	wd := startWebKit(t)
	only := os.Getenv("SIGNALR_WEBKIT_ONLY")
	for _, protocol := range []string{"json", "messagepack"} {
		for _, name := range scenarioNames(t) {
			if only != "" && !listed(only, name) {
				continue
			}
			t.Run(protocol+"/"+name, func(t *testing.T) {
				query := "&protocol=" + protocol
				official := wd.run(t, "runScenario", "official", name, query)
				ours := wd.run(t, "runScenario", "ours", name, query)
				compareInBrowser(t, "WebKit", official, ours)
			})
		}
	}
}

// compareInBrowser fails for every difference between signalr.js's record and ours, taken in
// the same browser.
func compareInBrowser(t *testing.T, browser string, official, ours map[string]any) {
	t.Helper()
	for _, d := range differences("ours", official, ours) {
		// Where signalr.js logs an error's stack (getErrorString), the stacks of JavaScriptCore
		// and SpiderMonkey have no message, only the frames: signalr.js's own source lines,
		// which no other script has.
		if strings.Contains(d, "@ORIGIN/official/signalr.js:") {
			continue
		}
		t.Errorf("in %s, ours differs from signalr.js: %s", browser, d)
	}
}

// listed tells whether name is in the comma-separated list.
func listed(list, name string) bool { return strings.Contains(","+list+",", ","+name+",") }

// webDriver is a W3C WebDriver session, spoken over HTTP with the few commands the test needs.
type webDriver struct {
	base string // http://127.0.0.1:port/session/id
}

// webKitPaths finds WebKitWebDriver, xvfb-run and MiniBrowser, or reports that one is missing.
func webKitPaths() (driver, xvfb, browser string, ok bool) {
	driver, err1 := exec.LookPath("WebKitWebDriver")
	xvfb, err2 := exec.LookPath("xvfb-run")
	browsers, _ := filepath.Glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser")
	if err1 != nil || err2 != nil || len(browsers) == 0 {
		return "", "", "", false
	}
	return driver, xvfb, browsers[0], true
}

// startWebKit starts WebKitWebDriver and a MiniBrowser session; env is added to the
// environment of the driver and the browser it starts (JavaScriptCore reads its options from
// JSC_* variables).
func startWebKit(t *testing.T, env ...string) *webDriver {
	t.Helper()
	driver, xvfb, browser, ok := webKitPaths()
	if !ok {
		t.Fatal("WebKit needs Debian's webkit2gtk-driver and xvfb (apt-get install webkit2gtk-driver xvfb)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(xvfb, "-a", driver, fmt.Sprintf("--port=%d", port))
	cmd.Env = append(os.Environ(), env...)
	// xvfb-run is a shell script: its group (Xvfb, the driver, the browser) ends together.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	root := fmt.Sprintf("http://127.0.0.1:%d", port)
	var session struct {
		Value struct {
			SessionID string `json:"sessionId"`
		} `json:"value"`
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"webkitgtk:browserOptions": map[string]any{"binary": browser, "args": []string{"--automation"}},
	}}}
	// The driver listens once Xvfb and it have started.
	for tries := 0; ; tries++ {
		err = post(root+"/session", caps, &session)
		if err == nil || tries == 100 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("WebKitWebDriver: %v", err)
	}
	wd := &webDriver{base: root + "/session/" + session.Value.SessionID}
	t.Cleanup(wd.end)
	if err := post(wd.base+"/timeouts", map[string]any{"script": 120000, "pageLoad": 30000}, nil); err != nil {
		t.Fatal(err)
	}
	return wd
}

// end ends the session, which closes the browser; ending it again does nothing.
func (wd *webDriver) end() {
	req, _ := http.NewRequest("DELETE", wd.base, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}

// run has a new page run one of web/test/scenarios.js (fn runScenario, as runScenarioAt does
// in Chromium) or of web/test/bench.js (fn runBenchmark), and returns its record.
func (wd *webDriver) run(t *testing.T, fn, client, name, query string) map[string]any {
	t.Helper()
	if err := post(wd.base+"/url", map[string]any{"url": baseURL + "/test/page.html?client=" + client + query}, nil); err != nil {
		t.Fatal(err)
	}
	script := `const done = arguments[arguments.length - 1];
		window.` + fn + `(` + jsString(name) + `).then((record) => done(JSON.stringify(record)));`
	var out struct {
		Value string `json:"value"`
	}
	if err := post(wd.base+"/execute/async", map[string]any{"script": script, "args": []any{}}, &out); err != nil {
		t.Fatalf("%s with %s: %v", name, client, err)
	}
	var record map[string]any
	if err := json.Unmarshal([]byte(out.Value), &record); err != nil {
		t.Fatalf("%s with %s: %v: %s", name, client, err, out.Value)
	}
	return record
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func post(url string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", url, resp.Status, buf.String())
	}
	if out != nil {
		return json.Unmarshal(buf.Bytes(), out)
	}
	return nil
}
