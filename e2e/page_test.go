//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// page is one browser tab.
type page struct {
	t     *testing.T
	ctx   context.Context
	close func()

	mu         sync.Mutex
	exceptions []string
	// onBinding takes the calls of the page's CDP bindings (Runtime.addBinding), each on a
	// goroutine of its own, free to send the page commands.
	onBinding func(name, payload string)
}

// openPage opens path in a new tab and waits until ready is true there.
func openPage(t *testing.T, path, ready string) *page {
	t.Helper()
	return openURL(t, baseURL+path, ready)
}

// openURL is openPage for a page of another server.
func openURL(t *testing.T, url, ready string) *page {
	t.Helper()
	return openIn(t, sharedBrowser(t), url, ready)
}

// openIn is openURL in another browser (newBrowser).
func openIn(t *testing.T, browser context.Context, url, ready string) *page {
	t.Helper()
	p := &page{t: t}
	tab, cancel := chromedp.NewContext(browser, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			text := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				text += " " + e.ExceptionDetails.Exception.Description
			}
			p.mu.Lock()
			p.exceptions = append(p.exceptions, text)
			p.mu.Unlock()
		}
		if e, ok := ev.(*runtime.EventBindingCalled); ok {
			p.mu.Lock()
			on := p.onBinding
			p.mu.Unlock()
			if on != nil {
				go on(e.Name, e.Payload)
			}
		}
	}))
	ctx, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	p.close = func() { cancelTimeout(); cancel() }
	t.Cleanup(p.close)
	p.ctx = ctx
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready, chromedp.WithPollingTimeout(time.Minute))); err != nil {
		t.Fatalf("waiting for %s on %s: %v", ready, url, err)
	}
	return p
}

// eval runs expr (awaiting a Promise) and decodes its JSON value into out.
func (p *page) eval(expr string, out any) {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		p.t.Fatalf("%s: decoding %s: %v", expr, raw, err)
	}
}

// uncaught is every exception the page did not catch: a client must never leave one behind.
func (p *page) uncaught() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.exceptions...)
}

// runScenario runs one of web/test/scenarios.js in a fresh page with the given client.
func runScenario(t *testing.T, client, name string, query ...string) map[string]any {
	t.Helper()
	return runScenarioAt(t, baseURL, client, name, query...)
}

// runScenarioAt runs a scenario on a page of the server at base (its hubs, its /test/ page).
func runScenarioAt(t *testing.T, base, client, name string, query ...string) map[string]any {
	t.Helper()
	path := "/test/page.html?client=" + client
	if len(query) > 0 {
		path += "&" + strings.Join(query, "&")
	}
	p := openURL(t, base+path, "window.scenarios !== undefined && window.signalR !== undefined")
	var record map[string]any
	p.eval(fmt.Sprintf("window.scenarios[%q]()", name), &record)
	if ex := p.uncaught(); len(ex) > 0 {
		t.Errorf("%s client left uncaught exceptions: %q", client, ex)
	}
	return record
}

// differences lists where got differs from want, by path.
func differences(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
		}
		var diffs []string
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing, want %s", path, k, show(wv)))
				continue
			}
			diffs = append(diffs, differences(path+"."+k, wv, gv)...)
		}
		for k, gv := range g {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: unexpected %s", path, k, show(gv)))
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, differences(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return diffs
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) || fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
		}
		return nil
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
