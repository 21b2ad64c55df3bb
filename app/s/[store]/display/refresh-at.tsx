"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** Re-renders the page (a new QR code) when the next 30 s window begins, without a full reload. */
export function RefreshAt({ at }: { at: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setTimeout(() => router.refresh(), Math.max(250, at - Date.now() + 250));
    return () => clearTimeout(timer);
  }, [at, router]);
  return null;
}
