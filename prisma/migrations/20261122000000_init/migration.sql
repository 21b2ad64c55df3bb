-- CreateEnum
CREATE TYPE "Role" AS ENUM ('SHOPPER', 'SUPPORT', 'ADMIN');
CREATE TYPE "Jurisdiction" AS ENUM ('GDPR', 'CCPA', 'PIPL', 'BIPA', 'OTHER');
CREATE TYPE "RecognitionMode" AS ENUM ('PRESENCE', 'ALWAYS');
CREATE TYPE "ConsentAction" AS ENUM ('GRANT', 'REVOKE');
CREATE TYPE "ConsentChannel" AS ENUM ('WEB', 'STAFF', 'PHONE', 'LETTER', 'SYSTEM');
CREATE TYPE "ConsentStatus" AS ENUM ('GRANTED', 'REVOKED');
CREATE TYPE "TemplateStatus" AS ENUM ('PENDING', 'ENROLLED', 'REJECTED');
CREATE TYPE "RequestKind" AS ENUM ('ACCESS', 'ERASURE');
CREATE TYPE "RequestStatus" AS ENUM ('SUBMITTED', 'AWAITING_VERIFICATION', 'COOLING_OFF', 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED');
CREATE TYPE "BucketSize" AS ENUM ('MINUTE', 'HOUR');

-- CreateTable
CREATE TABLE "Store" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "controllerName" TEXT NOT NULL,
    "controllerContact" TEXT NOT NULL,
    "jurisdiction" "Jurisdiction" NOT NULL DEFAULT 'GDPR',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "defaultLocale" TEXT NOT NULL DEFAULT 'en',
    "recognitionEnabled" BOOLEAN NOT NULL DEFAULT false,
    "recognitionMode" "RecognitionMode" NOT NULL DEFAULT 'PRESENCE',
    "checkInWindowMinutes" INTEGER NOT NULL DEFAULT 120,
    "keepFrames" BOOLEAN NOT NULL DEFAULT false,
    "frameRetentionDays" INTEGER NOT NULL DEFAULT 0,
    "visitRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "templateMaxDays" INTEGER NOT NULL DEFAULT 1095,
    "requestDueDays" INTEGER,
    "coolingOffHours" INTEGER NOT NULL DEFAULT 0,
    "complaintAuthority" TEXT NOT NULL DEFAULT '',
    "complaintUrl" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Camera" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secretCiphertext" BYTEA NOT NULL,
    "secretKeyId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    CONSTRAINT "Camera_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Purpose" (
    "code" TEXT NOT NULL,
    "requiresConsent" BOOLEAN NOT NULL,
    "dependsOn" TEXT,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Purpose_pkey" PRIMARY KEY ("code")
);

CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "material" BOOLEAN NOT NULL DEFAULT true,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "NoticeText" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sections" JSONB NOT NULL,
    CONSTRAINT "NoticeText_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "role" "Role" NOT NULL DEFAULT 'SHOPPER',
    "passwordHash" TEXT,
    "locale" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Account" (
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Account_pkey" PRIMARY KEY ("provider","providerAccountId")
);

CREATE TABLE "Session" (
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL
);

CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("identifier","token")
);

CREATE TABLE "ConsentEvent" (
    "id" BIGSERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "purposeCode" TEXT NOT NULL,
    "action" "ConsentAction" NOT NULL,
    "noticeId" TEXT NOT NULL,
    "noticeVersion" INTEGER NOT NULL,
    "channel" "ConsentChannel" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "ConsentEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ConsentState" (
    "userId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "purposeCode" TEXT NOT NULL,
    "status" "ConsentStatus" NOT NULL,
    "noticeVersion" INTEGER NOT NULL,
    "lastEventId" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ConsentState_pkey" PRIMARY KEY ("userId","storeId","purposeCode")
);

CREATE TABLE "FaceTemplate" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "TemplateStatus" NOT NULL DEFAULT 'PENDING',
    "ciphertext" BYTEA,
    "keyId" TEXT,
    "modelVersion" TEXT,
    "rejectReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    CONSTRAINT "FaceTemplate_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CheckIn" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Visit" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "cameraId" TEXT NOT NULL,
    "frameId" TEXT NOT NULL,
    "faceIndex" INTEGER NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "ageBand" TEXT,
    "gender" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "FootfallBucket" (
    "cameraId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "size" "BucketSize" NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "frames" INTEGER NOT NULL DEFAULT 0,
    "faces" INTEGER NOT NULL DEFAULT 0,
    "maxFaces" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "FootfallBucket_pkey" PRIMARY KEY ("cameraId","size","bucketStart")
);

CREATE TABLE "StoredFrame" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "cameraId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "capturedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "StoredFrame_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "storeId" TEXT NOT NULL,
    "kind" "RequestKind" NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'SUBMITTED',
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "extendedDueAt" TIMESTAMP(3),
    "extensionReason" TEXT,
    "rejectionReason" TEXT,
    "assigneeId" TEXT,
    "verificationMethod" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "verifiedById" TEXT,
    "coolingOffUntil" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "failureReason" TEXT,
    "exportPath" TEXT,
    "exportExpiresAt" TIMESTAMP(3),
    "receipt" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ErasureTombstone" (
    "id" TEXT NOT NULL,
    "subjectHash" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "receipt" JSONB NOT NULL,
    CONSTRAINT "ErasureTombstone_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "storeId" TEXT,
    "details" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Store_slug_key" ON "Store"("slug");
CREATE INDEX "Camera_storeId_idx" ON "Camera"("storeId");
CREATE UNIQUE INDEX "Notice_storeId_version_key" ON "Notice"("storeId", "version");
CREATE UNIQUE INDEX "NoticeText_noticeId_locale_key" ON "NoticeText"("noticeId", "locale");
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");
CREATE UNIQUE INDEX "ConsentEvent_hash_key" ON "ConsentEvent"("hash");
CREATE INDEX "ConsentEvent_userId_id_idx" ON "ConsentEvent"("userId", "id");
CREATE INDEX "ConsentEvent_storeId_occurredAt_idx" ON "ConsentEvent"("storeId", "occurredAt");
CREATE INDEX "ConsentState_storeId_purposeCode_status_idx" ON "ConsentState"("storeId", "purposeCode", "status");
CREATE UNIQUE INDEX "FaceTemplate_userId_key" ON "FaceTemplate"("userId");
CREATE INDEX "CheckIn_storeId_expiresAt_idx" ON "CheckIn"("storeId", "expiresAt");
CREATE INDEX "CheckIn_userId_idx" ON "CheckIn"("userId");
CREATE INDEX "Visit_userId_idx" ON "Visit"("userId");
CREATE INDEX "Visit_storeId_seenAt_idx" ON "Visit"("storeId", "seenAt");
CREATE UNIQUE INDEX "Visit_frameId_faceIndex_key" ON "Visit"("frameId", "faceIndex");
CREATE INDEX "FootfallBucket_storeId_size_bucketStart_idx" ON "FootfallBucket"("storeId", "size", "bucketStart");
CREATE INDEX "StoredFrame_expiresAt_idx" ON "StoredFrame"("expiresAt");
CREATE INDEX "DataRequest_status_dueAt_idx" ON "DataRequest"("status", "dueAt");
CREATE INDEX "DataRequest_userId_idx" ON "DataRequest"("userId");
CREATE UNIQUE INDEX "ErasureTombstone_requestId_key" ON "ErasureTombstone"("requestId");
CREATE INDEX "ErasureTombstone_subjectHash_idx" ON "ErasureTombstone"("subjectHash");
CREATE UNIQUE INDEX "AuditLog_hash_key" ON "AuditLog"("hash");
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");
CREATE INDEX "AuditLog_storeId_at_idx" ON "AuditLog"("storeId", "at");

-- AddForeignKey
ALTER TABLE "Camera" ADD CONSTRAINT "Camera_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "NoticeText" ADD CONSTRAINT "NoticeText_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConsentState" ADD CONSTRAINT "ConsentState_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "FootfallBucket" ADD CONSTRAINT "FootfallBucket_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "FootfallBucket" ADD CONSTRAINT "FootfallBucket_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "StoredFrame" ADD CONSTRAINT "StoredFrame_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Append-only ledgers (not expressible in the Prisma schema). UPDATE is never allowed; DELETE
-- only inside a transaction that declared itself an erasure with SET LOCAL veil.erasure = 'on'.
CREATE FUNCTION veil_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('veil.erasure', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'append_only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ConsentEvent_append_only" BEFORE UPDATE OR DELETE ON "ConsentEvent"
  FOR EACH ROW EXECUTE FUNCTION veil_append_only();
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION veil_append_only();
