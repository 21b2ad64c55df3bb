// The face photos (format of ../shared/faces/README.md) that the vision, frame and e2e tests use.
// Missing photos are a broken test environment, not a reason to skip: every caller fails, naming the
// folder. FACES_DIR points elsewhere (scripts/test.ts passes it on as an absolute path).
import { existsSync } from "node:fs";
import path from "node:path";

export function facesDir(): string {
  const dir = path.resolve(process.env.FACES_DIR ?? path.join(import.meta.dirname, "../../shared/faces"));
  for (const part of ["detection/boxes.json", "verification"]) {
    if (!existsSync(path.join(dir, part)))
      throw new Error(
        `face photos not found: ${path.join(dir, part)} is missing (set FACES_DIR to a folder in the format of ../shared/faces)`,
      );
  }
  return dir;
}
