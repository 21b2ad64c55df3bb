-- Visits become stays (issue 16): one row per stay of a shopper at a store instead of one per
-- (frame, face). Existing rows are merged: consecutive rows of one shopper at one store less than
-- 10 minutes apart (VISIT_GAP_MINUTES' default) become one visit, with its first and last sighting,
-- the distinct cameras, the number of rows as sightings, the best score, and age band and gender
-- as the majority of its first MAX_DEMOGRAPHIC_VOTES (5) estimates, ties to the value seen first
-- (lib/visits/demographic-votes.ts). Rows only carry an estimate where demographics consent held.
ALTER TABLE "Visit"
  ADD COLUMN "firstSeenAt" TIMESTAMP(3),
  ADD COLUMN "lastSeenAt" TIMESTAMP(3),
  ADD COLUMN "cameraIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "sightings" INTEGER NOT NULL DEFAULT 1,
  ADD COLUMN "demographicVotes" JSONB,
  ADD COLUMN "recentSightings" TEXT[] DEFAULT ARRAY[]::TEXT[];

CREATE TEMPORARY TABLE "_visit_stay" AS
WITH marked AS (
  SELECT v.id, v."userId", v."storeId", v."seenAt",
    CASE WHEN v."seenAt" - lag(v."seenAt") OVER w <= interval '10 minutes' THEN 0 ELSE 1 END AS opens
  FROM "Visit" v
  WINDOW w AS (PARTITION BY v."userId", v."storeId" ORDER BY v."seenAt", v.id)
), numbered AS (
  SELECT m.*, sum(m.opens) OVER (PARTITION BY m."userId", m."storeId" ORDER BY m."seenAt", m.id) AS stay
  FROM marked m
)
SELECT n.id, first_value(n.id) OVER (PARTITION BY n."userId", n."storeId", n.stay ORDER BY n."seenAt", n.id) AS keeper
FROM numbered n;

-- The votes of each stay: its first 5 rows with an estimate, in the order they were seen.
CREATE TEMPORARY TABLE "_visit_vote" AS
SELECT * FROM (
  SELECT s.keeper, v."ageBand", v.gender,
    row_number() OVER (PARTITION BY s.keeper ORDER BY v."seenAt", v.id) AS n
  FROM "_visit_stay" s JOIN "Visit" v ON v.id = s.id
  WHERE v."ageBand" IS NOT NULL AND v.gender IS NOT NULL
) x WHERE x.n <= 5;

-- Each distinct value with its count and the position it was first voted at ("a:" before "g:"
-- within one vote, as addVote() orders them).
CREATE TEMPORARY TABLE "_visit_tally" AS
SELECT keeper, 'a:' AS p, "ageBand" AS value, count(*)::int AS votes, min(n * 2) AS pos
FROM "_visit_vote" GROUP BY keeper, "ageBand"
UNION ALL
SELECT keeper, 'g:', gender, count(*)::int, min(n * 2 + 1) FROM "_visit_vote" GROUP BY keeper, gender;

UPDATE "Visit" v SET
  "firstSeenAt" = a.first,
  "lastSeenAt" = a.last,
  "cameraIds" = a.cameras,
  "sightings" = a.n,
  "score" = a.best,
  "ageBand" = (SELECT t.value FROM "_visit_tally" t WHERE t.keeper = v.id AND t.p = 'a:' ORDER BY t.votes DESC, t.pos LIMIT 1),
  "gender" = (SELECT t.value FROM "_visit_tally" t WHERE t.keeper = v.id AND t.p = 'g:' ORDER BY t.votes DESC, t.pos LIMIT 1),
  "demographicVotes" = (
    SELECT jsonb_build_object(
      'ageBand', COALESCE(jsonb_object_agg(t.value, t.votes) FILTER (WHERE t.p = 'a:'), '{}'::jsonb),
      'gender', COALESCE(jsonb_object_agg(t.value, t.votes) FILTER (WHERE t.p = 'g:'), '{}'::jsonb),
      'order', jsonb_agg(t.p || t.value ORDER BY t.pos))
    FROM "_visit_tally" t WHERE t.keeper = v.id HAVING count(*) > 0)
FROM (
  SELECT s.keeper, min(o."seenAt") AS first, max(o."seenAt") AS last,
    array_agg(DISTINCT o."cameraId" ORDER BY o."cameraId") AS cameras, count(*)::int AS n, max(o.score) AS best
  FROM "_visit_stay" s JOIN "Visit" o ON o.id = s.id GROUP BY s.keeper
) a
WHERE v.id = a.keeper;

DELETE FROM "Visit" v USING "_visit_stay" s WHERE v.id = s.id AND s.id <> s.keeper;

ALTER TABLE "Visit"
  ALTER COLUMN "firstSeenAt" SET NOT NULL,
  ALTER COLUMN "lastSeenAt" SET NOT NULL;

DROP INDEX "Visit_frameId_faceIndex_key";
DROP INDEX "Visit_storeId_seenAt_idx";
DROP INDEX "Visit_userId_idx";

ALTER TABLE "Visit"
  DROP COLUMN "cameraId",
  DROP COLUMN "frameId",
  DROP COLUMN "faceIndex",
  DROP COLUMN "seenAt";

CREATE INDEX "Visit_userId_storeId_lastSeenAt_idx" ON "Visit"("userId", "storeId", "lastSeenAt");
CREATE INDEX "Visit_storeId_lastSeenAt_idx" ON "Visit"("storeId", "lastSeenAt");

DROP TABLE "_visit_tally", "_visit_vote", "_visit_stay";
