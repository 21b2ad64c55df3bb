import { db } from "../db.ts";
import { verifyChain, type ChainVerdict } from "../crypto/hash-chain.ts";
import { auditFields } from "./append-audit.ts";

/** Walks the whole audit log in order, a page at a time, and names the first broken link. */
export async function verifyAuditChain(): Promise<ChainVerdict> {
  let checked = 0;
  let prev: string | undefined;
  let after: bigint | undefined;
  for (;;) {
    const rows = await db().auditLog.findMany({
      where: after !== undefined ? { id: { gt: after } } : undefined,
      orderBy: { id: "asc" },
      take: 2000,
    });
    if (!rows.length) return { ok: true, checked };
    const verdict = verifyChain(
      rows.map((r) => ({
        id: r.id.toString(),
        prevHash: r.prevHash,
        hash: r.hash,
        fields: auditFields({ ...r, details: r.details as Record<string, unknown> }),
      })),
      prev,
    );
    if (!verdict.ok) return { ...verdict, checked: checked + verdict.checked };
    checked += verdict.checked;
    prev = rows.at(-1)!.hash;
    after = rows.at(-1)!.id;
  }
}
