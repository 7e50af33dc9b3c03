import { loadDotEnv } from "../config/dotenv.js";
import { runCli } from "./main.js";

// The same .env as `npm start`, so `mentorship doctor` and the rest see the app's own settings.
loadDotEnv();
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stderr.isTTY,
});
