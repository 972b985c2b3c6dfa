// The declaration bundler drops triple-slash directives, so the WebGPU entry's
// declarations get their reference to the WebGPU types back after the build.
import { readFileSync, writeFileSync } from 'node:fs';

const directive = '/// <reference types="@webgpu/types" />\n';
for (const file of ['dist/webgpu/index.d.ts', 'dist/webgpu/index.d.cts']) {
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(directive)) writeFileSync(file, directive + text);
}
