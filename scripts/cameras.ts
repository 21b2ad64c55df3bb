// Camera administration from the shell (the same use cases as the admin page):
//   npm run cameras -- add --store demo --name "Entrance"
//   npm run cameras -- list [--store demo]
//   npm run cameras -- rotate --camera <id>
//   npm run cameras -- disable --camera <id>   |   enable --camera <id>
// The secret is printed once, on add and rotate; store it in the camera's configuration.
import { parseArgs } from "node:util";
import { disconnectDb } from "../lib/db.ts";
import { registerCamera } from "../lib/cameras/register-camera.ts";
import { rotateCameraSecret } from "../lib/cameras/rotate-camera-secret.ts";
import { setCameraEnabled } from "../lib/cameras/set-camera-enabled.ts";
import { listCameras } from "../lib/cameras/list-cameras.ts";

const actor = { id: null, role: "SYSTEM" };
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { store: { type: "string" }, name: { type: "string" }, camera: { type: "string" }, json: { type: "boolean" } },
});

function need(v: string | undefined, flag: string): string {
  if (!v) {
    console.error(`missing --${flag}`);
    process.exit(2);
  }
  return v;
}

async function main() {
  const [cmd] = positionals;
  switch (cmd) {
    case "add": {
      const r = await registerCamera({ storeSlug: need(values.store, "store"), name: need(values.name, "name"), actor });
      if (values.json) console.log(JSON.stringify(r));
      else console.log(`camera ${r.cameraId}\nsecret ${r.secret}\n(shown once: keep it in the camera's configuration)`);
      return;
    }
    case "rotate": {
      const r = await rotateCameraSecret({ cameraId: need(values.camera, "camera"), actor });
      if (values.json) console.log(JSON.stringify(r));
      else console.log(`camera ${r.cameraId}\nnew secret ${r.secret}\n(the old secret no longer works)`);
      return;
    }
    case "disable":
    case "enable":
      await setCameraEnabled({ cameraId: need(values.camera, "camera"), enabled: cmd === "enable", actor });
      console.log(`camera ${values.camera} ${cmd}d`);
      return;
    case "list":
      for (const c of await listCameras(values.store)) console.log(`${c.id}\t${c.store}\t${c.enabled ? "enabled" : "disabled"}\t${c.name}`);
      return;
    default:
      console.error("usage: npm run cameras -- add|list|rotate|disable|enable [--store slug] [--name name] [--camera id] [--json]");
      process.exit(2);
  }
}

main()
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
