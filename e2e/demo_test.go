//go:build !js

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDemoChat is the promise: the chat sample of the ASP.NET Core docs, with only its
// script tag swapped, chats between two tabs. It runs once with the official client (the
// same page, the tag pointing at npm's signalr.js) to prove that the page and the server are
// right, then with ours.
func TestDemoChat(t *testing.T) {
	for _, tc := range []struct{ client, path string }{
		{"official", "/official-demo/"},
		{"ours", "/"},
	} {
		t.Run(tc.client, func(t *testing.T) {
			connected := `document.getElementById("connectionState").textContent === "Connected"`
			alice := openPage(t, tc.path, connected)
			bob := openPage(t, tc.path, connected)

			// Both tabs list both connections, each marking its own.
			bothListed := `(() => {
				const items = [...document.querySelectorAll("#clientsList li")].map((li) => li.textContent);
				return items.length === 2 && items.filter((s) => s.endsWith("(you)")).length === 1;
			})()`
			alice.waitFor(bothListed)
			bob.waitFor(bothListed)

			alice.typeAndSend("alice", "hello bob")
			bob.typeAndSend("bob", "hi alice")
			for _, p := range []*page{alice, bob} {
				p.waitFor(hasMessages("alice says hello bob", "bob says hi alice"))
			}

			// A tab that leaves disappears from the other's list.
			alice.close()
			bob.waitFor(`document.querySelectorAll("#clientsList li").length === 1`)
			for _, p := range []*page{alice, bob} {
				if ex := p.uncaught(); len(ex) > 0 {
					t.Errorf("uncaught exceptions: %q", ex)
				}
			}
		})
	}
}

func hasMessages(texts ...string) string {
	quoted := make([]string, len(texts))
	for i, s := range texts {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf(`(() => {
		const items = [...document.querySelectorAll("#messagesList li")].map((li) => li.textContent);
		return [%s].every((s) => items.includes(s));
	})()`, strings.Join(quoted, ","))
}

// typeAndSend types into the demo's (empty) inputs and clicks its button, as a user would.
func (p *page) typeAndSend(user, message string) {
	p.t.Helper()
	err := chromedp.Do(p.ctx,
		chromedp.SendKeys(chromedp.ID("userInput"), user),
		chromedp.SendKeys(chromedp.ID("messageInput"), message),
		chromedp.Click(chromedp.ID("sendButton")),
	)
	if err != nil {
		p.t.Fatalf("sending %q: %v", message, err)
	}
}

func (p *page) waitFor(expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		body, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string]("document.body.innerText"))
		p.t.Fatalf("waiting for %s: %v\npage:\n%s", expr, err, body)
	}
}
