-- Pseudonymous, crypto-shreddable audit trail and ledger (issue 12).
-- A shopper is named in AuditLog and ConsentEvent only by pseudonym = HMAC(per-subject key, userId);
-- the key lives in SubjectKey and erasure deletes it. Rows written before this migration are not
-- rewritten (they are append-only); a deployment with such rows keeps them as they are.

CREATE TABLE "SubjectKey" (
    "userId" TEXT NOT NULL,
    "key" BYTEA NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubjectKey_pkey" PRIMARY KEY ("userId")
);
CREATE UNIQUE INDEX "SubjectKey_pseudonym_key" ON "SubjectKey"("pseudonym");
ALTER TABLE "SubjectKey" ADD CONSTRAINT "SubjectKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ConsentEvent" RENAME COLUMN "userId" TO "subject";
DROP INDEX "ConsentEvent_userId_id_idx";
CREATE INDEX "ConsentEvent_subject_id_idx" ON "ConsentEvent"("subject", "id");

ALTER TABLE "AuditLog" ADD COLUMN "subject" TEXT;
CREATE INDEX "AuditLog_subject_id_idx" ON "AuditLog"("subject", "id");

-- The audit log is never changed, emptied or shortened, by anyone: the former escape
-- (DELETE under SET LOCAL veil.erasure = 'on') is gone. Used by row and TRUNCATE triggers.
CREATE OR REPLACE FUNCTION veil_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'append_only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

-- The ledger allows one DELETE: rows of the subject of an erasure request that is in progress,
-- named by veil.erasure_request, which veil_erase_ledger() sets. Setting the variable by hand
-- deletes nothing else: the request must exist, be an erasure, be running, and be that subject's.
CREATE FUNCTION veil_ledger_guard() RETURNS trigger AS $$
DECLARE
  req text := current_setting('veil.erasure_request', true);
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(req, '') <> '' AND EXISTS (
    SELECT 1 FROM "DataRequest" r JOIN "SubjectKey" k ON k."userId" = r."userId"
    WHERE r."id" = req AND r."kind" = 'ERASURE' AND r."status" = 'IN_PROGRESS' AND k."pseudonym" = OLD."subject"
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'append_only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER "ConsentEvent_append_only" ON "ConsentEvent";
CREATE TRIGGER "ConsentEvent_append_only" BEFORE UPDATE OR DELETE ON "ConsentEvent"
  FOR EACH ROW EXECUTE FUNCTION veil_ledger_guard();
CREATE TRIGGER "ConsentEvent_no_truncate" BEFORE TRUNCATE ON "ConsentEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION veil_append_only();
CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION veil_append_only();

-- Erasure's one way into the ledger. SECURITY DEFINER so that the application role, which holds
-- only INSERT/SELECT on the ledger, can delete exactly one erased subject's chain and nothing else.
CREATE FUNCTION veil_erase_ledger(p_request text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  v_subject text;
  n integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "DataRequest" WHERE "id" = p_request AND "kind" = 'ERASURE' AND "status" = 'IN_PROGRESS') THEN
    RAISE EXCEPTION 'erasure_request_required: no erasure request % in progress', p_request
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT k."pseudonym" INTO v_subject FROM "DataRequest" r JOIN "SubjectKey" k ON k."userId" = r."userId" WHERE r."id" = p_request;
  IF v_subject IS NULL THEN
    RETURN 0; -- no key left: the subject never had a ledger, or it is already gone
  END IF;
  PERFORM set_config('veil.erasure_request', p_request, true);
  DELETE FROM "ConsentEvent" WHERE "subject" = v_subject;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('veil.erasure_request', '', true);
  RETURN n;
END;
$$;
