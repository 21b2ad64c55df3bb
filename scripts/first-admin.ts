// The first administrator of a deployment, once:   npm run admin:first -- --email you@example.com
// Prints a one-time link (valid 1 hour) on which they choose their password; never a password.
// Refused (exit 2) once any administrator exists.
import { parseArgs } from "node:util";
import { runDbCli } from "./lib/run-db-cli.ts";
import { createFirstAdmin } from "../lib/auth/create-first-admin.ts";
import { isAppError } from "../lib/errors/app-error.ts";

const { values } = parseArgs({ options: { email: { type: "string" } } });

async function main(): Promise<number> {
  if (!values.email) {
    console.error("usage: npm run admin:first -- --email you@example.com");
    return 2;
  }
  try {
    const { link, expires } = await createFirstAdmin(values.email);
    console.log(
      `Administrator ${values.email} created. Open this link once, before ${expires.toISOString()}, to choose the password:\n${link}`,
    );
    return 0;
  } catch (e) {
    if (!isAppError(e)) throw e;
    console.error(`refused: ${e.message}`);
    return 2;
  }
}

runDbCli(main);
