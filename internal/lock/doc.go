// Package lock is the engine's mutex: sync.Mutex, except in Go's wasm. There one goroutine
// runs at a time, and the runtime switches to another only where the running one blocks
// (Go's wasm has no preemption of a running goroutine between two instructions), so a
// check of a flag and its set cannot be interleaved with another goroutine's. sync.Mutex's
// Lock and Unlock are each four calls there (sync, internal/sync, sync/atomic and the
// runtime's atomics, none inlined into the next), and a send took five locks: under V8's
// baseline tier, which runs a fresh page's code, their calls were a seventh of a send's
// instructions (docs/performance.md, session 38).
package lock
