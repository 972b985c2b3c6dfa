import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/**
 * Flags for headless Chromium with WebGPU on SwiftShader, Chromium's software
 * Vulkan: a page on a machine without a GPU still gets `navigator.gpu` and an
 * adapter. Network features that would reach outside the machine are off.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface',
];

/**
 * Whether a browser is required: under `CI=true` (or `RHEO_REQUIRE_BROWSER=1`,
 * which `.ci/run` sets) a missing browser fails instead of skipping.
 */
export const BROWSER_REQUIRED = process.env.CI === 'true' || process.env.CI === '1' || process.env.RHEO_REQUIRE_BROWSER === '1';

/**
 * A Chromium to drive: `RHEO_CHROMIUM`, else the distribution's. Undefined
 * when there is none, after saying so; under `CI=true` a missing browser is
 * an error instead, since `.ci/run` installs one.
 */
export function findChromium(who: string): string | undefined {
  const found = [process.env.RHEO_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']
    .find((p) => p !== undefined && p !== '' && existsSync(p));
  if (found !== undefined) return found;
  if (BROWSER_REQUIRED) {
    throw new Error(`${who}: no Chromium found, and CI=true or RHEO_REQUIRE_BROWSER=1 requires one (looked at RHEO_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser); expected Debian's chromium, which .ci/run installs`);
  }
  console.warn(`${who}: skipping the browser run: no Chromium found (set RHEO_CHROMIUM to its path)`);
  return undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.wasm': 'application/wasm',
};

export interface StaticServer {
  /** `http://127.0.0.1:PORT` (loopback is a secure context, so WebGPU is allowed). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves a folder over http on loopback. A path without an extension also
 * finds `path.html` and `path/index.html`, as a static host would.
 */
export async function serveDirectory(root: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) { res.writeHead(403); res.end(); return; }
    const candidates = [file, `${file}.html`, join(file, 'index.html')];
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (hit === undefined) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(hit)] ?? 'application/octet-stream' });
    res.end(readFileSync(hit));
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
