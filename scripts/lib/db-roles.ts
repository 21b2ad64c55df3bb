// Database roles: migrations run as the owner (whoever DATABASE_URL names when migrating); the app
// and the workers connect as `<database>_app`, which may read and append to the consent ledger
// and the audit log but never change or delete them (no UPDATE, DELETE or TRUNCATE), and reaches
// the ledger's one lawful deletion only through veil_erase_ledger() (SECURITY DEFINER, checks
// that an erasure request is in progress). Run after every migration: grants cover new tables.
import pg from "pg";

export const APPEND_ONLY_TABLES = ["ConsentEvent", "AuditLog"];

export function appRoleName(ownerUrl: string): string {
  const db = decodeURIComponent(new URL(ownerUrl).pathname.slice(1)) || "veil";
  return `${db.replace(/[^a-zA-Z0-9_]/g, "_").slice(0, 50)}_app`;
}

/** Creates or updates the app role and its grants; returns the URL the app and workers use. */
export async function ensureAppRole(ownerUrl: string, password: string, role = appRoleName(ownerUrl)): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const id = client.escapeIdentifier(role);
    const pw = client.escapeLiteral(password);
    // Roles are shared by the whole server: two runs creating the same one must not both try.
    await client.query("SELECT pg_advisory_lock(7292)");
    const exists = (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
    await client.query(
      `${exists ? "ALTER" : "CREATE"} ROLE ${id} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${pw}`,
    );
    const { rows } = await client.query<{ db: string; schema: string }>(
      "SELECT current_database() AS db, current_schema() AS schema",
    );
    const db = client.escapeIdentifier(rows[0]!.db);
    const schema = client.escapeIdentifier(rows[0]!.schema);
    const statements = [
      `GRANT CONNECT ON DATABASE ${db} TO ${id}`,
      `GRANT USAGE ON SCHEMA ${schema} TO ${id}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${id}`,
      ...APPEND_ONLY_TABLES.map(
        (t) =>
          `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${schema}.${client.escapeIdentifier(t)} FROM ${id}`,
      ),
      `REVOKE ALL ON ${schema}."_prisma_migrations" FROM ${id}`,
      `GRANT SELECT ON ${schema}."_prisma_migrations" TO ${id}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${id}`,
      `GRANT EXECUTE ON FUNCTION ${schema}.veil_erase_ledger(text) TO ${id}`,
    ];
    for (const s of statements) await client.query(s);
  } finally {
    await client.query("SELECT pg_advisory_unlock(7292)").catch(() => {});
    await client.end();
  }
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = password;
  return u.toString();
}

/** Removes a role a test created: its grants in the database of `url`, then the role itself. */
export async function dropAppRole(url: string, role: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
    if (exists) await client.query(`DROP OWNED BY ${client.escapeIdentifier(role)}`);
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
  } finally {
    await client.end();
  }
}
