// Preloaded by the npm scripts that talk to the database, Redis or the app
// (`tsx --import ./scripts/lib/zero-config.ts …`): fills in whatever the environment leaves out
// from the running `npm start` (see local-env.ts). A no-op when the environment is complete.
import { applyLocalEnv } from "./local-env.ts";

await applyLocalEnv(["db", "redis", "secrets", "app"]);
