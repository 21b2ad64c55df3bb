-- Revocable sessions (issue 10, row 5): a session cookie carries the version it was issued under;
-- moving the version on (sign-out, role change) ends every session of the user at once.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
