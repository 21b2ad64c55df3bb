-- Frames already counted in the footfall buckets (ids only), so a retried frame job counts once.
-- CreateTable
CREATE TABLE "CountedFrame" (
    "frameId" TEXT NOT NULL,
    "countedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CountedFrame_pkey" PRIMARY KEY ("frameId")
);

-- CreateIndex
CREATE INDEX "CountedFrame_countedAt_idx" ON "CountedFrame"("countedAt");
