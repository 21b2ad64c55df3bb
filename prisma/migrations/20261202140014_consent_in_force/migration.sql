-- "Consent in force", written once in SQL: the shopper's latest state for the purpose at the store
-- is GRANTED and was given against the store's latest material notice version or a later one.
-- Its TypeScript twin is isInForce() in lib/consent/projection.ts; lib/consent/consent-in-force.int.test.ts
-- checks that the two agree on every case.
--
-- The state row is read FOR SHARE, so a statement that calls this (the visit insert) and a
-- revocation that is committing are ordered: either the revocation commits first and this returns
-- false, or the revocation waits until the caller's transaction ends (invariant 3). Row locks need
-- a VOLATILE function.
CREATE FUNCTION veil_consent_in_force(p_user TEXT, p_store TEXT, p_purpose TEXT) RETURNS BOOLEAN
LANGUAGE sql VOLATILE AS $$
  SELECT EXISTS (
    SELECT 1 FROM "ConsentState" cs
    WHERE cs."userId" = p_user AND cs."storeId" = p_store AND cs."purposeCode" = p_purpose
      AND cs.status = 'GRANTED'
      AND cs."noticeVersion" >= (SELECT COALESCE(MAX(n.version), 0) FROM "Notice" n WHERE n."storeId" = p_store AND n.material)
    FOR SHARE OF cs
  )
$$;
