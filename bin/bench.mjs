#!/usr/bin/env node
// `npm run bench`: runs the benchmarks in bench/ and writes their figures to bench/results/.
import { register } from 'tsx/esm/api';

register();
const { runBenchmarks } = await import('../bench/run.ts');
process.exitCode = await runBenchmarks(process.argv.slice(2));
