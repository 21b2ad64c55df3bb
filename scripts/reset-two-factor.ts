// An administrator lost their authenticator app and every recovery code:
//   npm run admin:reset-2fa -- --email them@example.com
// Removes their authenticator and recovery codes and ends their sessions (audited as
// staff.totp_reset, actor SYSTEM); their next sign-in sets up a new authenticator. Run it only
// once you have confirmed who is asking, by another channel than e-mail alone.
import { parseArgs } from "node:util";
import { db } from "../lib/db.ts";
import { runDbCli } from "./lib/run-db-cli.ts";
import { resetSecondFactor } from "../lib/auth/reset-second-factor.ts";

const { values } = parseArgs({ options: { email: { type: "string" } } });

async function main(): Promise<number> {
  if (!values.email) {
    console.error("usage: npm run admin:reset-2fa -- --email them@example.com");
    return 2;
  }
  const user = await db().user.findUnique({
    where: { email: values.email.toLowerCase() },
    select: { id: true, role: true },
  });
  if (!user || user.role === "SHOPPER") {
    console.error("refused: no staff account has this address");
    return 2;
  }
  if (!(await resetSecondFactor({ userId: user.id, actor: { id: null, role: "SYSTEM" } }))) {
    console.error("refused: this account has no authenticator set up");
    return 2;
  }
  console.log(
    `Two-step sign-in of ${values.email} reset: their sessions ended; their next sign-in sets up a new authenticator.`,
  );
  return 0;
}

runDbCli(main);
