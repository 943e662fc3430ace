//go:build !js

package e2e

import "testing"

// The ASP.NET Core docs' tutorial chat, unchanged but for the script tag: its
// withUrl("/chatHub") reaches the hub the server maps as "/chathub", as ASP.NET Core's
// routing matches paths in any case. With the official client too, to prove the page right.
func TestDocsTutorialChat(t *testing.T) {
	for _, client := range []string{"official", "ours"} {
		t.Run(client, func(t *testing.T) {
			t.Parallel()
			started := `!document.getElementById("sendButton").disabled`
			alice := openPage(t, "/test/docs-chat/index.html?client="+client, started)
			bob := openPage(t, "/test/docs-chat/index.html?client="+client, started)
			alice.typeAndSend("alice", "hello from "+client)
			bob.typeAndSend("bob", "hi alice")
			for _, p := range []*page{alice, bob} {
				p.waitFor(hasMessages("alice says hello from "+client, "bob says hi alice"))
				if ex := p.uncaught(); len(ex) > 0 {
					t.Errorf("uncaught exceptions: %q", ex)
				}
			}
		})
	}
}
