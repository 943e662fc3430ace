package client

import "runtime"

// Version is the signalr.js version this client stands in for; servers read it from the user agent.
const Version = "10.0.11"

// userAgentHeader is what signalr.js sends: browsers may not set User-Agent, so there it is
// X-SignalR-User-Agent with "Browser" as the runtime.
func userAgentHeader() (string, string) {
	if runtime.GOOS == "js" {
		return "X-SignalR-User-Agent", "Microsoft SignalR/10.0 (" + Version + "; Unknown OS; Browser; Unknown Runtime Version)"
	}
	return "User-Agent", "Microsoft SignalR/10.0 (" + Version + "; " + runtime.GOOS + "; Go; " + runtime.Version() + ")"
}
