//go:build !js

package e2e

import (
	"context"
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

// TestSampleApps is the package's proof: `npm pack` of dist/, installed into the sample app
// of web/samples, built with Vite, webpack and esbuild (each with the documented setup and
// nothing more), run by the Vite dev server, and used by a plain script tag and by classic
// and module Web Workers; each page connects to the test server, invokes and receives.
func TestSampleApps(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := func(name string) string { return filepath.Join(root, "node_modules", ".bin", name) }
	work := t.TempDir()
	tarball := strings.TrimSpace(command(t, root, "npm", "pack", "./dist", "--pack-destination", work, "--silent"))
	app := filepath.Join(work, "app")
	copyDir(t, filepath.Join(root, "web", "samples"), app)
	command(t, app, "npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", filepath.Join(work, tarball))
	pkg := filepath.Join(app, "node_modules", "signalr-wasm", "browser")

	out := func(name string) string { return filepath.Join(appsDir, name) }
	// Vite: no configuration for a build.
	command(t, app, bin("vite"), "build", "--base", "./", "--outDir", out("vite"), "--emptyOutDir")
	// webpack 5: no configuration file.
	command(t, app, bin("webpack"), "--mode", "production", "--entry", "./src/main.js", "--output-path", out("webpack"))
	copyFile(t, filepath.Join(app, "webpack.html"), filepath.Join(out("webpack"), "index.html"))
	// esbuild leaves new URL("./signalr.wasm", import.meta.url) as it is: the wasm is copied
	// beside the bundle, as the README says.
	command(t, app, bin("esbuild"), "src/main.js", "--bundle", "--format=esm", "--outdir="+out("esbuild"))
	copyFile(t, filepath.Join(app, "esbuild.html"), filepath.Join(out("esbuild"), "index.html"))
	copyFile(t, filepath.Join(pkg, "signalr.wasm"), filepath.Join(out("esbuild"), "signalr.wasm"))
	// A plain page: the package's browser folder copied as a CDN or libman would.
	copyDir(t, pkg, out("plain"))
	copyFile(t, filepath.Join(app, "plain.html"), filepath.Join(out("plain"), "index.html"))
	copyFile(t, filepath.Join(app, "src", "sample.js"), filepath.Join(out("plain"), "sample.js"))

	// The README's one line for precompressed copies of a bundle.
	command(t, app, filepath.Join(app, "node_modules", ".bin", "signalr-wasm-compress"), out("vite"), out("webpack"), out("esbuild"))

	// The bundlers found the wasm through new URL(…, import.meta.url) and emitted it; each
	// has its compressed copies beside it.
	for _, pattern := range []string{"vite/assets/*.wasm", "webpack/*.wasm", "esbuild/*.wasm", "plain/*.wasm"} {
		if m, _ := filepath.Glob(out(pattern)); len(m) != 1 {
			t.Errorf("%s: %v", pattern, m)
		}
		if m, _ := filepath.Glob(out(pattern + ".br")); len(m) != 1 {
			t.Errorf("%s.br: %v", pattern, m)
		}
	}
	want := func(name string) map[string]any {
		return map[string]any{"echoed": "from " + name, "message": "pushed", "state": "Disconnected"}
	}
	for _, name := range []string{"vite", "webpack", "esbuild", "plain"} {
		t.Run(name, func(t *testing.T) {
			p := openPage(t, "/apps/"+name+"/", "window.sampleResult !== undefined")
			expectRecord(t, p, "window.sampleResult", want(name))
			// The test server sent the brotli copy.
			var compressed bool
			p.eval(`performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm") && e.encodedBodySize < e.decodedBodySize / 3)`, &compressed)
			if !compressed {
				t.Error("the wasm was not served compressed")
			}
		})
	}
	for _, tc := range []struct{ name, create string }{
		{"classic worker", `new Worker("/test/worker.js?client=/apps/plain/signalr.js")`},
		{"module worker", `new Worker("/test/worker.mjs?client=/apps/plain/signalr.mjs", { type: "module" })`},
	} {
		t.Run(tc.name, func(t *testing.T) { expectWorker(t, tc.create) })
	}
	t.Run("vite dev server", func(t *testing.T) {
		url := viteDevServer(t, app, bin("vite"))
		p := openURL(t, url, "window.sampleResult !== undefined")
		expectRecord(t, p, "window.sampleResult", want("vite"))
	})
}

// viteDevServer runs `vite` in dir, proxying the hub to the test server, until the test ends.
func viteDevServer(t *testing.T, dir, vite string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(vite, "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--strictPort")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SIGNALR_TEST_SERVER="+baseURL)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var output strings.Builder
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return url
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the Vite dev server did not answer:\n%s", output.String())
	return ""
}

func command(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr)
	}
	return string(out)
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}
