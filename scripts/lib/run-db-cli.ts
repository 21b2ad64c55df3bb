import { disconnectDb } from "../../lib/db.ts";

/**
 * The exit path of a CLI that uses the database: main's number is the exit code (0 done, 2 refused
 * with a message already printed); an unexpected error prints its message only (no stack for an
 * operator) and exits 1. The database connection is closed either way so the process can end.
 */
export function runDbCli(main: () => Promise<number>): void {
  main().then(
    async (code) => {
      await disconnectDb();
      process.exit(code);
    },
    async (e) => {
      console.error(e instanceof Error ? e.message : e);
      await disconnectDb();
      process.exit(1);
    },
  );
}
