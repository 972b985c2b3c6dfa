#!/usr/bin/env node
// The app is TypeScript run from source: tsx's loader is registered, then the CLI is imported.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
