-- Paired store devices (issue 11): the entrance display that shows the rotating presence QR code.
-- Only SHA-256 hashes of the one-time pairing code and of the device credential are stored.
CREATE TYPE "StoreDeviceKind" AS ENUM ('DISPLAY');

CREATE TABLE "StoreDevice" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "kind" "StoreDeviceKind" NOT NULL DEFAULT 'DISPLAY',
    "name" TEXT NOT NULL,
    "pairingCodeHash" TEXT,
    "pairingExpiresAt" TIMESTAMP(3),
    "credentialHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pairedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    CONSTRAINT "StoreDevice_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "StoreDevice_pairingCodeHash_key" ON "StoreDevice"("pairingCodeHash");
CREATE UNIQUE INDEX "StoreDevice_credentialHash_key" ON "StoreDevice"("credentialHash");
CREATE INDEX "StoreDevice_storeId_idx" ON "StoreDevice"("storeId");

ALTER TABLE "StoreDevice" ADD CONSTRAINT "StoreDevice_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
