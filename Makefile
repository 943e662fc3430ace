# The README's two commands: `make run` (demo) and `make test` (every test).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/bin:$(PATH)

ADDR ?= 127.0.0.1:5000
WASMBROWSERTEST := bin/wasmbrowsertest
# Chromium's DevTools client in wasmbrowsertest prints this harmless line for every event it
# does not know: the cdproto it pins is older than the Chromium it drives.
NOISE := IPAddressSpace

.PHONY: build run test test-native test-types test-wasm test-browser test-webkit test-firefox fuzz bench bench-wasm size deps clean

build: dist/package.json

# build.sh writes all of dist/ (package.json last), so it runs again only when one of its
# inputs changed: `make run` starts at once when nothing did.
CLIENT_SOURCES := $(shell find protocol client transport jsapi wasm internal -name '*.go' -not -name '*_test.go') \
	$(wildcard web/src/*.js wasm/*.mjs) web/compress.js web/types/index.d.ts README.md go.mod go.sum
dist/package.json: build.sh $(CLIENT_SOURCES) node_modules
	./build.sh

bin/signalr-testserver: $(shell find server protocol internal -name '*.go' -not -name '*_test.go') go.mod go.sum
	go build -o $@ ./server/cmd/signalr-testserver

# -foreground: Ctrl-C stops the server alone, which exits 0, and so does make.
run: build bin/signalr-testserver
	@bin/signalr-testserver -foreground -addr $(ADDR) -demo web/demo -dist dist

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules

$(WASMBROWSERTEST):
	GOBIN=$(CURDIR)/bin go install github.com/agnivade/wasmbrowsertest@v0.11.0

deps: node_modules $(WASMBROWSERTEST)
	@command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium (see .ci/run)"; exit 1; }

test: deps build test-native test-types test-wasm test-browser test-webkit test-firefox

# The docs' samples, written against @microsoft/signalr, type-check against our declarations.
test-types: node_modules
	node_modules/.bin/tsc -p web/types/check

test-native:
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './node_modules/*' -not -path './dist/*')); if [ -n "$$unformatted" ]; then echo "not gofmt-ed: $$unformatted"; exit 1; fi
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./...
	go test -race -count=1 ./internal/... ./protocol/... ./client/... ./transport/... ./server/... ./wasm/...

# Every fuzz target, each for FUZZTIME (go test fuzzes one target at a time). A crasher is
# written to its package's testdata/fuzz/<target>/: once fixed it stays there as a seed, which
# every plain `go test` (test-native) runs.
FUZZTIME ?= 30s
fuzz:
	for file in $$(grep -l '^func Fuzz' $$(find internal protocol transport client server -name '*_test.go' ! -name '*_js_test.go')); do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./$$(dirname $$file); \
		done; \
	done

# The wasm tests run in Chromium and reach a test server started here (a wasm test cannot
# listen); wasmbrowsertest hands the environment to the test binary. -checklinkname=0: as
# build.sh, for internal/jsevents and internal/jsutil.
WASM_TEST_ADDR ?= 127.0.0.1:5099
WITH_TEST_SERVER = bin/signalr-testserver -addr $(WASM_TEST_ADDR) -dist "" & server=$$!; \
	trap "kill $$server" EXIT; \
	for i in $$(seq 100); do (exec 3<>/dev/tcp/$(subst :,/,$(WASM_TEST_ADDR))) 2>/dev/null && break; sleep 0.1; done; \
	SIGNALR_TEST_SERVER=http://$(WASM_TEST_ADDR) GOOS=js GOARCH=wasm GOFLAGS=-ldflags=-checklinkname=0
test-wasm: $(WASMBROWSERTEST) bin/signalr-testserver
	$(WITH_TEST_SERVER) go test -count=1 -exec $(CURDIR)/$(WASMBROWSERTEST) ./jsapi/... ./transport/... ./internal/jsevents/ ./internal/jstext/ ./internal/jsutil/ ./internal/lock/ 2>&1 | grep -v $(NOISE)

# The two designs for MessagePack values at the JS/Go boundary, side by side (jsapi/doc.go).
bench-wasm: $(WASMBROWSERTEST) bin/signalr-testserver
	$(WITH_TEST_SERVER) go test -count=1 -run XXX -bench Msgpack -exec $(CURDIR)/$(WASMBROWSERTEST) ./jsapi/ 2>&1 | grep -v $(NOISE)

test-browser: build node_modules
	go test -count=1 -timeout 30m ./e2e/...

# Every scenario in WebKit (Safari's engine), ours against signalr.js in the same browser.
test-webkit: build node_modules
	@command -v WebKitWebDriver >/dev/null && command -v xvfb-run >/dev/null || { echo "WebKit is missing: apt-get install webkit2gtk-driver xvfb (see .ci/run)"; exit 1; }
	SIGNALR_WEBKIT=1 go test -count=1 -timeout 30m -run TestScenariosInWebKit ./e2e/

# Every scenario in Firefox, ours against signalr.js in the same browser.
test-firefox: build node_modules
	@command -v firefox-esr >/dev/null || command -v firefox >/dev/null || { echo "Firefox is missing: apt-get install firefox-esr (see .ci/run)"; exit 1; }
	SIGNALR_FIREFOX=1 go test -count=1 -timeout 30m -run TestScenariosInFirefox ./e2e/

# Numbers for the README: signalr.js and ours side by side in one browser run, in Chromium,
# then in Firefox and WebKit when they are installed.
bench: build node_modules
	SIGNALR_BENCH=1 go test -count=1 -timeout 60m -run 'TestBenchmarks|TestColdStart' -v ./e2e/ | grep -v '^\(=== RUN\|--- PASS\|PASS\|ok\)'

# What signalr.wasm costs: its raw/gzip/brotli bytes, its sections, and the code section by
# package, from a build with function names (build.sh's flags, without -s -w).
size: node_modules
	WASM_NAMES=bin/signalr-names.wasm ./build.sh
	node wasm/size.mjs dist/browser/signalr.wasm bin/signalr-names.wasm

clean:
	rm -rf dist bin
