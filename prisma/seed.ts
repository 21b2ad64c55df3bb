// Idempotent demo seed: purposes, the demo store with its notice in three languages, and the demo
// support and admin accounts. Safe to run on every start; it never overwrites a store's settings
// or notices once they exist.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { db, disconnectDb } from "../lib/db.ts";
import { env } from "../lib/env.ts";
import { hashPassword, verifyPassword } from "../lib/auth/password.ts";
import { LOCALES } from "../lib/i18n/locales.ts";
import { defaultNoticeText } from "../lib/notices/default-notice-text.ts";

const PURPOSE_ROWS = [
  { code: "footfall", requiresConsent: false, dependsOn: null, sortOrder: 0 },
  { code: "recognition", requiresConsent: true, dependsOn: null, sortOrder: 1 },
  { code: "demographics", requiresConsent: true, dependsOn: "recognition", sortOrder: 2 },
];

const DEMO_STORE = {
  slug: "demo",
  name: "Veil Demo Store",
  controllerName: "Veil Demo Retail Ltd.",
  controllerContact: "privacy@demo.veil.local",
  jurisdiction: "GDPR" as const,
  timezone: "Europe/Paris",
  defaultLocale: "en",
  recognitionEnabled: true,
  complaintAuthority: "CNIL",
  complaintUrl: "https://www.cnil.fr/fr/plaintes",
};

/** Demo staff passwords: DEMO_STAFF_PASSWORD, else generated once and kept in the data folder. */
function demoPassword(): string {
  if (process.env.DEMO_STAFF_PASSWORD) return process.env.DEMO_STAFF_PASSWORD;
  const file = path.join(env().DATA_DIR, "demo-staff.json");
  if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { password: string }).password;
  const password = randomBytes(9).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ password }), { mode: 0o600 });
  return password;
}

export async function seed(): Promise<{ staff: { email: string; role: string }[]; password: string } | null> {
  const prisma = db();
  for (const p of PURPOSE_ROWS) await prisma.purpose.upsert({ where: { code: p.code }, create: p, update: p });
  // A real deployment gets the reference data only: no demo store, and never staff accounts with
  // a shared password (the first admin comes from the operator, README "Security").
  const { NODE_ENV, VEIL_DEMO } = env();
  if (NODE_ENV === "production" && VEIL_DEMO !== "1") return null;

  const store = await prisma.store.upsert({ where: { slug: DEMO_STORE.slug }, create: DEMO_STORE, update: {} });
  const hasNotice = await prisma.notice.findFirst({ where: { storeId: store.id } });
  if (!hasNotice) {
    await prisma.notice.create({
      data: {
        storeId: store.id,
        version: 1,
        material: true,
        texts: { create: LOCALES.map((locale) => ({ locale, ...defaultNoticeText(store, locale) })) },
      },
    });
  }

  const password = demoPassword();
  const staff = [
    { email: "support@demo.veil.local", role: "SUPPORT" as const, name: "Demo Support" },
    { email: "admin@demo.veil.local", role: "ADMIN" as const, name: "Demo Admin" },
  ];
  for (const s of staff) {
    const existing = await prisma.user.findUnique({ where: { email: s.email } });
    if (!existing) {
      await prisma.user.create({
        data: { ...s, passwordHash: await hashPassword(password), emailVerified: new Date() },
      });
    } else if (!existing.passwordHash || !(await verifyPassword(password, existing.passwordHash))) {
      await prisma.user.update({
        where: { id: existing.id },
        data: { passwordHash: await hashPassword(password), role: s.role, sessionVersion: { increment: 1 } },
      });
    }
  }
  return { staff: staff.map(({ email, role }) => ({ email, role })), password };
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("prisma/seed.ts");
if (isMain) {
  seed()
    .then((seeded) => {
      if (!seeded) return console.log("Seeded reference data (purposes). Production: no demo store, no demo accounts.");
      const { staff, password } = seeded;
      console.log("Seeded demo store /s/demo.");
      for (const s of staff) console.log(`  ${s.role.toLowerCase()} sign-in: ${s.email} / ${password}`);
    })
    .catch((e) => {
      console.error("Seed failed:", e instanceof Error ? e.message : e);
      process.exitCode = 1;
    })
    .finally(() => disconnectDb());
}
