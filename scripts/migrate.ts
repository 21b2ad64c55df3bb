// npm run db:migrate — applies the SQL migrations to DATABASE_URL, else to the database of the
// running `npm start` (scripts/lib/local-env.ts).
//
// With VEIL_APP_DB_PASSWORD set (a deployment, e.g. docker-compose.yml's migrate service), it then
// creates or updates the restricted role `<database>_app` with that password and its grants
// (scripts/lib/db-roles.ts), as `npm start` does, so the app and the workers connect as a role
// that can never change or delete the consent ledger or the audit log. Run after every migration:
// the grants cover the new tables.
import { migrate } from "./lib/migrate.ts";
import { applyLocalEnv } from "./lib/local-env.ts";
import { appRoleName, ensureAppRole } from "./lib/db-roles.ts";

await applyLocalEnv(["db"]);
const ownerUrl = process.env.DATABASE_URL!;
const appPassword = process.env.VEIL_APP_DB_PASSWORD;
migrate(ownerUrl)
  .then(async (r) => {
    console.log(
      `migrations: ${r.applied.length} applied${r.applied.length ? ` (${r.applied.join(", ")})` : ""}, ${r.skipped.length} already there`,
    );
    if (appPassword) {
      await ensureAppRole(ownerUrl, appPassword);
      console.log(`database role ${appRoleName(ownerUrl)}: ready (the app and workers connect as it)`);
    }
  })
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
