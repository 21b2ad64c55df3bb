// npm run db:migrate — applies the SQL migrations to DATABASE_URL.
import { migrate } from "./lib/migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (npm start sets it for the embedded database).");
  process.exit(2);
}
migrate(url)
  .then((r) => console.log(`migrations: ${r.applied.length} applied${r.applied.length ? ` (${r.applied.join(", ")})` : ""}, ${r.skipped.length} already there`))
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
