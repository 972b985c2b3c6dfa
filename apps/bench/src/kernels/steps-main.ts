// pnpm --filter @rheo/bench steps [row-substring...]
// rheo's training-step rows of the peer suite alone (no training, no
// PyTorch), on generated data: a quick loop for profiling (`node --cpu-prof`
// through tsx) and for comparing builds. Prints the median wall and mean CPU µs per row;
// WU and REPS in the environment set the warm-up and timed steps (default 3 and 20).
import { opRows, stepRows } from './torch-rows.js';
import { values } from './timing.js';

const filters = process.argv.slice(2);
const d = 6, n = 256;
const rows = [...stepRows(values(n * d, 9), d).rows, ...opRows()]
  .filter((r) => filters.length === 0 || filters.some((f) => r.name.includes(f)));
for (const row of rows) {
  const t = await row.time(Number(process.env.WU ?? 3), Number(process.env.REPS ?? 20));
  console.log(`${row.name.padEnd(60)}${t.wallMs.toFixed(0).padStart(9)} µs wall${t.cpuMs.toFixed(0).padStart(9)} µs CPU`);
}
process.exit(0);
