// npm run audit:verify — checks the audit log's hash chain and names the first broken link.
import { disconnectDb } from "../lib/db.ts";
import { verifyAuditChain } from "../lib/audit/verify-audit-chain.ts";

verifyAuditChain()
  .then((v) => {
    if (v.ok) console.log(`audit chain intact: ${v.checked} records verified`);
    else {
      console.error(
        `audit chain BROKEN at record ${v.brokenAt}: ${v.reason} (${v.checked} records before it verified)`,
      );
      process.exitCode = 1;
    }
  })
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  })
  .finally(() => disconnectDb());
