-- veil_erase_ledger runs with its owner's rights: only the roles granted it (the app role, see
-- scripts/lib/db-roles.ts) may call it, not every role of the server.
REVOKE ALL ON FUNCTION veil_erase_ledger(text) FROM PUBLIC;
