#!/usr/bin/env node
// The `kv` launcher behind package.json "bin": registers tsx, then runs cli/kv.ts in this
// same process, so `npx kv <engine> <dir> [command]` works without a build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../kv.ts', import.meta.url).href);
