//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestScenariosInFirefox runs every scenario with the official client and with ours in
// Firefox (headless Firefox ESR) and compares the two records, as TestScenariosInWebKit does.
// No WebDriver for Firefox is packaged here, so the pages drive themselves: each runs its
// scenario, posts the record to /firefox/report/<i> (firefoxReport) and opens the page the
// answer names. `make test` runs it (test-firefox, SIGNALR_FIREFOX=1).
func TestScenariosInFirefox(t *testing.T) {
	if os.Getenv("SIGNALR_FIREFOX") == "" {
		t.Skip("Firefox runs with `make test-firefox` (part of `make test`)")
	}
	firefox := firefoxPath()
	if firefox == "" {
		t.Fatal("Firefox is missing: apt-get install firefox-esr")
	}
	type run struct{ protocol, name, client string }
	var runs []run
	only := os.Getenv("SIGNALR_FIREFOX_ONLY")
	for _, protocol := range []string{"json", "messagepack"} {
		for _, name := range scenarioNames(t) {
			if only == "" || listed(only, name) {
				runs = append(runs, run{protocol, name, "official"}, run{protocol, name, "ours"})
			}
		}
	}
	if len(runs) == 0 {
		t.Fatalf("SIGNALR_FIREFOX_ONLY=%q names no scenario", only)
	}
	urls := make([]string, len(runs))
	for i, r := range runs {
		urls[i] = baseURL + "/test/page.html?" + url.Values{
			"client": {r.client}, "protocol": {r.protocol}, "scenario": {r.name},
			"report": {"/firefox/report/" + strconv.Itoa(i)},
		}.Encode()
	}
	records := firefoxChain.begin(urls)
	defer firefoxChain.end()

	got := make([]map[string]any, len(runs))
	stop := startFirefox(t, firefox, urls[0])
	for i := 0; i < len(runs); {
		select {
		case r := <-records:
			got[r.index] = r.record
			i = r.index + 1
		case <-time.After(time.Minute):
			t.Errorf("%s/%s with %s gave no record in Firefox", runs[i].protocol, runs[i].name, runs[i].client)
			stop()
			if i++; i < len(runs) {
				stop = startFirefox(t, firefox, urls[i])
			}
		}
	}
	stop()
	for i := 0; i+1 < len(runs); i += 2 {
		official, ours := got[i], got[i+1]
		if official == nil || ours == nil {
			continue
		}
		t.Run(runs[i].protocol+"/"+runs[i].name, func(t *testing.T) {
			compareInBrowser(t, "Firefox", official, ours)
		})
	}
}

// firefoxPath is the Firefox installed here, or "".
func firefoxPath() string {
	for _, name := range []string{"firefox-esr", "firefox"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// startFirefox opens url in a headless Firefox with a profile of its own; stop ends it, and
// the test's end does if the test fails first.
func startFirefox(t *testing.T, firefox, url string) (stop func()) {
	t.Helper()
	cmd := exec.Command(firefox, "--headless", "--no-remote", "--new-instance", "--profile", t.TempDir(), url)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop = sync.OnceFunc(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	t.Cleanup(stop)
	return stop
}

type firefoxRecord struct {
	index  int
	record map[string]any
}

// pageChain is a run of self-driving pages in progress: the pages in order, and where their
// records go.
type pageChain struct {
	mu      sync.Mutex
	urls    []string
	records chan firefoxRecord
}

var firefoxChain pageChain

func (c *pageChain) begin(urls []string) <-chan firefoxRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.urls, c.records = urls, make(chan firefoxRecord, 1)
	return c.records
}

func (c *pageChain) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.urls, c.records = nil, nil
}

// firefoxReport takes page i's record and answers with the next page's URL ("" after the last).
func firefoxReport(w http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(r.PathValue("i"))
	body, _ := io.ReadAll(r.Body)
	var record map[string]any
	if err == nil {
		err = json.Unmarshal(body, &record)
	}
	c := &firefoxChain
	c.mu.Lock()
	urls, records := c.urls, c.records
	c.mu.Unlock()
	if err != nil || records == nil || i < 0 || i >= len(urls) {
		http.Error(w, fmt.Sprintf("no page %d is expected: %v", i, err), http.StatusBadRequest)
		return
	}
	select {
	case records <- firefoxRecord{i, record}:
	case <-time.After(10 * time.Second):
		http.Error(w, "the test is gone", http.StatusGone)
		return
	}
	if i+1 < len(urls) {
		_, _ = io.WriteString(w, urls[i+1])
	}
}
