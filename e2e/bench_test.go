//go:build !js

package e2e

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBenchmarks runs web/test/bench.js with signalr.js and with ours, alternating, in the
// same browser against the same server, and prints medians and ratios. It measures, it does
// not assert: `make bench` runs it (SIGNALR_BENCH=1), `make test` does not.
// SIGNALR_BENCH_ONLY=invoke,sendBurst runs only the benchmarks named (web/test/bench.js),
// SIGNALR_BENCH_PROTOCOLS=json only the protocols named, SIGNALR_BENCH_ROUNDS=15 takes the
// medians of 15 rounds instead of 5, and SIGNALR_BENCH_BASE=<dir> adds another build of ours
// (benchClients).
func TestBenchmarks(t *testing.T) {
	if os.Getenv("SIGNALR_BENCH") == "" {
		t.Skip("benchmarks run with `make bench`")
	}
	rounds := benchRounds(t)
	for _, protocol := range benchProtocols() {
		benchmark(t, protocol, rounds)
	}
}

// benchRounds, benchProtocols and benchNames are what SIGNALR_BENCH_ROUNDS,
// SIGNALR_BENCH_PROTOCOLS and SIGNALR_BENCH_ONLY choose (TestBenchmarks).
func benchRounds(t *testing.T) int {
	r := os.Getenv("SIGNALR_BENCH_ROUNDS")
	if r == "" {
		return 5
	}
	rounds, err := strconv.Atoi(r)
	if err != nil || rounds < 1 {
		t.Fatalf("SIGNALR_BENCH_ROUNDS=%q: want a number of rounds, at least 1", r)
	}
	return rounds
}

func benchProtocols() []string {
	if only := os.Getenv("SIGNALR_BENCH_PROTOCOLS"); only != "" {
		return strings.Split(only, ",")
	}
	return []string{"json", "messagepack"}
}

// benchClients are the clients of a round: signalr.js and ours, and with
// SIGNALR_BENCH_BASE=<dir> a third, "base", the build in <dir> (another commit's dist/), served
// at /base/. Two builds of ours compared in one run, alternating, read a change that two runs
// of make bench minutes apart cannot tell from this machine's noise. With the third, each
// round starts with the next client, so that none keeps its place (a browser's first page is
// its slowest).
func benchClients(round int) []string {
	clients := []string{"official", "ours"}
	if benchBase() != "" {
		clients = append(clients, "base")
		k := round % len(clients)
		clients = append(clients[k:], clients[:k]...)
	}
	return clients
}

// benchBase is SIGNALR_BENCH_BASE, the dist/ folder of the build that benchClients adds.
func benchBase() string { return os.Getenv("SIGNALR_BENCH_BASE") }

func benchNames(all ...string) []string {
	if only := os.Getenv("SIGNALR_BENCH_ONLY"); only != "" {
		return strings.Split(only, ",")
	}
	return all
}

func benchmark(t *testing.T, protocol string, rounds int) {
	names := benchNames("coldStart", "connect", "invoke", "sendBurst", "streamReceive", "receive", "streamReceiveFrameEach", "receiveFrameEach")
	samples := benchSamples{}
	for round := 0; round < rounds; round++ {
		for _, name := range names {
			for _, client := range benchClients(round) {
				p := openPage(t, "/test/page.html?client="+client+"&protocol="+protocol, "window.benchmarks !== undefined")
				if _, err := chromedp.Call(p.ctx, performance.Enable, performance.EnableParams{}); err != nil {
					t.Fatal(err)
				}
				// A visitor has no DevTools open: with the Network domain on, as chromedp
				// leaves it, the page also reports every WebSocket frame to DevTools.
				if _, err := chromedp.Call(p.ctx, network.Disable, cdp.Empty{}); err != nil {
					t.Fatal(err)
				}
				before := mainThreadSeconds(p)
				mark := markMainThread(p)
				stop := startProfile(p, fmt.Sprintf("%s-%s-%s-%d", protocol, name, client, round))
				var got map[string]float64
				p.eval(fmt.Sprintf("window.benchmarks[%q]()", name), &got)
				stop()
				if messages, ok := got["messages"]; ok {
					delete(got, "messages")
					after := mainThreadSeconds(p)
					got[name+": main-thread CPU (µs per message)"] = (after - before) * 1e6 / messages
					if seconds, sofar, ok := mark(); ok && messages > sofar {
						got[name+": main-thread CPU, last burst (µs per message)"] = (after - seconds) * 1e6 / (messages - sofar)
					}
				}
				p.close()
				samples.add(client, got)
			}
		}
	}
	samples.print(fmt.Sprintf("%s: median of %d runs, headless Chromium, same machine and server", protocol, rounds))
}

// TestBenchmarksInFirefox is TestBenchmarks's receiving and sending in headless Firefox ESR,
// which no WebDriver here drives: each page runs one benchmark, posts its numbers and opens
// the next (page.html's ?bench=), all in one Firefox, as Chromium's pages share one browser.
// Firefox gives no main-thread CPU, and its clock is coarser (bursts of thousands of messages
// measure it well). `make bench` runs it when Firefox is installed.
func TestBenchmarksInFirefox(t *testing.T) {
	if os.Getenv("SIGNALR_BENCH") == "" {
		t.Skip("benchmarks run with `make bench`")
	}
	firefox := firefoxPath()
	if firefox == "" {
		t.Skip("Firefox is missing (apt-get install firefox-esr): no Firefox numbers")
	}
	rounds := benchRounds(t)
	for _, protocol := range benchProtocols() {
		type benchRun struct{ name, client string }
		var runs []benchRun
		var urls []string
		for round := 0; round < rounds; round++ {
			for _, name := range benchNames(otherBrowsersBenchmarks...) {
				for _, client := range benchClients(round) {
					runs = append(runs, benchRun{name, client})
					urls = append(urls, baseURL+"/test/page.html?"+url.Values{
						"client": {client}, "protocol": {protocol}, "bench": {name},
						"report": {"/firefox/report/" + strconv.Itoa(len(urls))},
					}.Encode())
				}
			}
		}
		records := firefoxChain.begin(urls)
		stop := startFirefox(t, firefox, urls[0])
		samples := benchSamples{}
		for range runs {
			select {
			case r := <-records:
				ran := runs[r.index]
				samples.add(ran.client, benchNumbers(t, "Firefox", ran.name, ran.client, r.record))
			case <-time.After(3 * time.Minute):
				t.Fatal("a benchmark gave no numbers in Firefox")
			}
		}
		stop()
		firefoxChain.end()
		samples.print(fmt.Sprintf("%s: median of %d runs, headless Firefox ESR, same machine and server", protocol, rounds))
	}
}

// TestBenchmarksInWebKit is TestBenchmarksInFirefox in WebKit (Safari's engine: webkit2gtk's
// MiniBrowser under Xvfb, driven by WebKitWebDriver, one browser for every page). `make bench`
// runs it when WebKit is installed.
func TestBenchmarksInWebKit(t *testing.T) {
	if os.Getenv("SIGNALR_BENCH") == "" {
		t.Skip("benchmarks run with `make bench`")
	}
	if _, _, _, ok := webKitPaths(); !ok {
		t.Skip("WebKit is missing (apt-get install webkit2gtk-driver xvfb): no WebKit numbers")
	}
	wd := startWebKit(t)
	rounds := benchRounds(t)
	for _, protocol := range benchProtocols() {
		samples := benchSamples{}
		for round := 0; round < rounds; round++ {
			for _, name := range benchNames(otherBrowsersBenchmarks...) {
				for _, client := range benchClients(round) {
					record := wd.run(t, "runBenchmark", client, name, "&protocol="+protocol)
					samples.add(client, benchNumbers(t, "WebKit", name, client, record))
				}
			}
		}
		samples.print(fmt.Sprintf("%s: median of %d runs, WebKit (webkit2gtk's MiniBrowser under Xvfb), same machine and server", protocol, rounds))
	}
	if dir := os.Getenv("SIGNALR_PROFILE"); dir != "" {
		wd.end()
		profileWebKit(t, dir)
	}
}

// profileWebKit writes, for each protocol and client, the report of JavaScriptCore's sampling
// profiler over one run of each benchmark: <dir>/webkit-<protocol>-<client>.txt, its top
// functions (Go's by name in a wasm built with names, as for Chromium's profiles), the share
// of each tier (IPInt, wasm's interpreter; BBQ and OMG, its compilers; Host, the browser's
// own functions) and its top bytecodes. WebKit has no profiler that WebDriver can reach: the
// profiler runs in the page's process for its whole life and writes its report when that
// process exits, so each client gets a browser of its own.
func profileWebKit(t *testing.T, dir string) {
	for _, protocol := range benchProtocols() {
		for _, client := range []string{"official", "ours"} {
			out := t.TempDir()
			wd := startWebKit(t, "JSC_useSamplingProfiler=1", "JSC_samplingProfilerPath="+out,
				"JSC_sampleInterval=250", "JSC_samplingProfilerTopFunctionsCount=80")
			for _, name := range benchNames(otherBrowsersBenchmarks...) {
				wd.run(t, "runBenchmark", client, name, "&protocol="+protocol)
			}
			wd.end()
			report := awaitProfile(t, out)
			if err := os.WriteFile(filepath.Join(dir, "webkit-"+protocol+"-"+client+".txt"), report, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// awaitProfile is the report that JavaScriptCore's sampling profiler writes into dir as the
// page's process exits, once written: its last part is the top bytecodes.
func awaitProfile(t *testing.T, dir string) []byte {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	var last []byte
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, "JSCSampilingProfile-*.txt"))
		if len(files) > 0 {
			report, err := os.ReadFile(files[0])
			// The same report twice in a row: the process has written all of it.
			if err == nil && strings.Contains(string(report), "Hottest bytecodes") && string(report) == string(last) {
				return report
			}
			last = report
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("WebKit wrote no profile into %s", dir)
	return nil
}

// otherBrowsersBenchmarks are the benchmarks Firefox and WebKit run: the receiving and
// sending ones, which need no CDP.
var otherBrowsersBenchmarks = []string{"invoke", "sendBurst", "streamReceive", "receive"}

// benchNumbers is a benchmark's record from a browser without CDP: its numbers but the count of
// messages, which is for the main-thread CPU that only Chromium reports.
func benchNumbers(t *testing.T, browser, name, client string, record map[string]any) map[string]float64 {
	t.Helper()
	got := map[string]float64{}
	for metric, v := range record {
		n, ok := v.(float64)
		if !ok {
			t.Fatalf("%s with %s in %s: %v", name, client, browser, record)
		}
		got[metric] = n
	}
	delete(got, "messages")
	return got
}

// benchSamples are each client's numbers of each metric, over the rounds, and the metrics in
// the order the first round gave them.
type benchSamples struct {
	metrics []string
	values  map[string]map[string][]float64
}

func (s *benchSamples) add(client string, got map[string]float64) {
	if s.values == nil {
		s.values = map[string]map[string][]float64{"official": {}, "ours": {}, "base": {}}
	}
	keys := make([]string, 0, len(got))
	for metric := range got {
		keys = append(keys, metric)
	}
	sort.Strings(keys)
	for _, metric := range keys {
		if !slices.Contains(s.metrics, metric) {
			s.metrics = append(s.metrics, metric)
		}
		s.values[client][metric] = append(s.values[client][metric], got[metric])
	}
}

// print prints the medians side by side (printBenchTable), the metrics that both signalr.js
// and ours gave.
func (s *benchSamples) print(title string) {
	fmt.Printf("\n%s\n\n", title)
	var rows []benchRow
	for _, m := range s.metrics {
		row := benchRow{name: m, js: s.values["official"][m], ours: s.values["ours"][m], base: s.values["base"][m]}
		if len(row.js) > 0 && len(row.ours) > 0 {
			rows = append(rows, row)
		}
	}
	printBenchTable(60, rows)
	fmt.Println()
}

// benchRow is a line of a printed table: a metric and each client's samples of it.
type benchRow struct {
	name                  string
	js, ours, base, floor []float64
}

// printBenchTable prints rows as a Markdown table of medians with ours / signalr.js; when a
// base build ran (benchClients), its medians and ours / base; when Go's floor ran (the cold
// start), its medians and floor / signalr.js. label is the first column's width. A client
// without samples of a row leaves its cells empty.
func printBenchTable(label int, rows []benchRow) {
	base := slices.ContainsFunc(rows, func(r benchRow) bool { return len(r.base) > 0 })
	floor := slices.ContainsFunc(rows, func(r benchRow) bool { return len(r.floor) > 0 })
	header := fmt.Sprintf("| %-*s | %12s | %12s | %13s |", label, "", "signalr.js", "signalr-wasm", "wasm / js")
	rule := fmt.Sprintf("|%s|%s|%s|%s|", dashes(label+2), dashes(14), dashes(14), dashes(15))
	if base {
		header += fmt.Sprintf(" %12s | %13s |", "base", "wasm / base")
		rule += fmt.Sprintf("%s|%s|", dashes(14), dashes(15))
	}
	if floor {
		header += fmt.Sprintf(" %12s | %13s |", "Go's floor", "floor / js")
		rule += fmt.Sprintf("%s|%s|", dashes(14), dashes(15))
	}
	fmt.Println(header)
	fmt.Println(rule)
	value := func(v []float64) string {
		if len(v) == 0 {
			return ""
		}
		return fmt.Sprintf("%.1f", median(v))
	}
	ratio := func(a, b []float64) string {
		if len(a) == 0 || len(b) == 0 || median(b) <= 0 {
			return ""
		}
		return fmt.Sprintf("%.2f×", median(a)/median(b))
	}
	for _, r := range rows {
		line := fmt.Sprintf("| %-*s | %12s | %12s | %13s |", label, r.name, value(r.js), value(r.ours), ratio(r.ours, r.js))
		if base {
			line += fmt.Sprintf(" %12s | %13s |", value(r.base), ratio(r.ours, r.base))
		}
		if floor {
			line += fmt.Sprintf(" %12s | %13s |", value(r.floor), ratio(r.floor, r.js))
		}
		fmt.Println(line)
	}
}

// startProfile runs Chromium's sampling CPU profiler when SIGNALR_PROFILE names a folder: the
// returned func writes <folder>/<name>.cpuprofile, which Chrome's DevTools open (build the wasm
// with names, as `make size` does, to see Go's functions; for the cold start, brotli it as
// signalr.wasm.br too). On this 2-core machine the profiler's own thread is often starved:
// read a profile's sample counts, not its time deltas, which give a function that happened to
// be sampled before a gap the whole gap.
func startProfile(p *page, name string) (stop func()) {
	dir := os.Getenv("SIGNALR_PROFILE")
	if dir == "" {
		return func() {}
	}
	if _, err := chromedp.Call(p.ctx, profiler.Enable, cdp.Empty{}); err != nil {
		p.t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}); err != nil {
		p.t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, profiler.Start, cdp.Empty{}); err != nil {
		p.t.Fatal(err)
	}
	return func() {
		res, err := chromedp.Call(p.ctx, profiler.Stop, cdp.Empty{})
		if err != nil {
			p.t.Fatal(err)
		}
		data, err := json.Marshal(res.Profile)
		if err != nil {
			p.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".cpuprofile"), data, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
}

// markMainThread lets the benchmark on p mark where its last burst begins (bench.js's
// cpuMark, through the CDP binding benchCPU, whose payload is the count of messages so far):
// the page waits while its main-thread time is read. The returned func tells that time and
// count, if the benchmark marked.
func markMainThread(p *page) func() (seconds, messages float64, ok bool) {
	if _, err := chromedp.Call(p.ctx, runtime.AddBinding, runtime.AddBindingParams{Name: "benchCPU"}); err != nil {
		p.t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		marked bool
		at, n  float64
		failed error
	)
	p.mu.Lock()
	p.onBinding = func(name, payload string) {
		if name != "benchCPU" {
			return
		}
		seconds, err := taskSeconds(p)
		count, perr := strconv.ParseFloat(payload, 64)
		mu.Lock()
		marked, at, n, failed = true, seconds, count, cmp.Or(err, perr)
		mu.Unlock()
		// The page goes on once the time is read (a page already closed has nothing to resume).
		_, _ = chromedp.Run(p.ctx, chromedp.Evaluate[any]("window.benchCPUDone()"))
	}
	p.mu.Unlock()
	return func() (float64, float64, bool) {
		mu.Lock()
		defer mu.Unlock()
		if failed != nil {
			p.t.Fatalf("reading the main thread's time at the benchmark's mark: %v", failed)
		}
		return at, n, marked
	}
}

// mainThreadSeconds is the time the page's main thread has spent in tasks so far (the
// renderer's TaskDuration): JavaScript, wasm, the browser's own work for the page, and GC.
func mainThreadSeconds(p *page) float64 {
	seconds, err := taskSeconds(p)
	if err != nil {
		p.t.Fatal(err)
	}
	return seconds
}

// taskSeconds is mainThreadSeconds for a goroutine other than the test's.
func taskSeconds(p *page) (float64, error) {
	res, err := chromedp.Call(p.ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		return 0, err
	}
	for _, m := range res.Metrics {
		if m.Name == "TaskDuration" {
			return m.Value, nil
		}
	}
	return 0, errors.New("the browser reports no TaskDuration")
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func dashes(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '-'
	}
	return string(b)
}
