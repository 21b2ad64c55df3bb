// npm run db:migrate — applies the SQL migrations to DATABASE_URL, else to the database of the
// running `npm start` (scripts/lib/local-env.ts).
import { migrate } from "./lib/migrate.ts";
import { applyLocalEnv } from "./lib/local-env.ts";

await applyLocalEnv(["db"]);
migrate(process.env.DATABASE_URL!)
  .then((r) =>
    console.log(
      `migrations: ${r.applied.length} applied${r.applied.length ? ` (${r.applied.join(", ")})` : ""}, ${r.skipped.length} already there`,
    ),
  )
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
