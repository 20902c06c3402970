import { runGatectl } from './gatectl';

// Entry point: `node dist/services/directory/cli/main.js …` (or `node -r @swc-node/register services/directory/cli/main.ts …`).
void runGatectl(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
