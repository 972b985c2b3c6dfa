import { defineConfig } from 'vitepress';
import { apiPages } from './api-pages.js';

const guides = [
  { text: 'Getting started', link: '/guide/getting-started' },
  { text: 'Concepts', link: '/guide/concepts' },
  { text: 'Density estimation', link: '/guide/density-estimation' },
  { text: 'Energy-trained samplers', link: '/guide/energy-samplers' },
  { text: 'Residual flows', link: '/guide/residual-flows' },
  { text: 'Conditional flows', link: '/guide/conditional-flows' },
  { text: 'Amortized posteriors', link: '/guide/amortized-posteriors' },
  { text: 'Hybrid models', link: '/guide/hybrid-models' },
  { text: 'WebGPU in Node and the browser', link: '/guide/webgpu' },
  { text: 'Checkpoints', link: '/guide/checkpoints' },
  { text: 'The benchmark', link: '/guide/benchmark' },
];

// Pages that later releases fill in keep their place in the navigation now.
const extend = [
  { text: 'Writing a layer package', link: '/extend/layer-package' },
  { text: 'ONNX export', link: '/extend/onnx-export' },
];

const demos = [
  { text: 'Train a flow here', link: '/demos/train' },
  { text: 'Sampling speed', link: '/demos/sampling-speed' },
  { text: 'Benchmark results', link: '/demos/results' },
];

const base = process.env.RHEO_DOCS_BASE ?? '/';

export default defineConfig({
  title: 'rheo',
  description: 'Normalizing flows for TypeScript: fast on WebGPU, solid on the CPU.',
  base,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: `${base}favicon.svg` }]],
  cleanUrls: false,
  lastUpdated: false,
  // Every link is checked at build time; the browser tests check anchors too.
  ignoreDeadLinks: false,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Demos', link: '/demos/train' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: [
      { text: 'Guide', items: guides },
      { text: 'Extending rheo', items: extend },
      { text: 'Demos', items: demos },
      { text: 'API reference', items: [{ text: 'Overview', link: '/api/' }, ...apiPages().map((p) => ({ text: p.name, link: `/api/${p.slug}` }))] },
    ],
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    // The demos train in a module worker that imports the packages (and their lazily loaded chunks).
    worker: { format: 'es' },
    build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
    optimizeDeps: { exclude: ['webgpu'] },
    ssr: { noExternal: [] },
  },
});
