-- Enrolment at the store's kiosk (issue 11 item 2): kiosks are paired store devices like the
-- entrance display, and a shopper's one-time kiosk code is kept only as a keyed hash, with what
-- became of the capture (the phone polls it). No frame, embedding or code in clear is stored here.
ALTER TYPE "StoreDeviceKind" ADD VALUE IF NOT EXISTS 'KIOSK';

CREATE TYPE "KioskEnrolmentStatus" AS ENUM ('ISSUED', 'PROCESSING', 'ENROLLED', 'REFUSED');

CREATE TABLE "KioskEnrolment" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "codeHash" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "status" "KioskEnrolmentStatus" NOT NULL DEFAULT 'ISSUED',
    "reason" TEXT,
    "deviceId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "redeemedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    CONSTRAINT "KioskEnrolment_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "KioskEnrolment_codeHash_key" ON "KioskEnrolment"("codeHash");
CREATE INDEX "KioskEnrolment_userId_idx" ON "KioskEnrolment"("userId");
CREATE INDEX "KioskEnrolment_storeId_idx" ON "KioskEnrolment"("storeId");

ALTER TABLE "KioskEnrolment" ADD CONSTRAINT "KioskEnrolment_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
