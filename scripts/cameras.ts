// Camera administration from the shell (the same use cases as the admin page):
//   npm run cameras -- add --store demo --name "Entrance" [--secret-file <file>]
//   npm run cameras -- list [--store demo]
//   npm run cameras -- rotate --camera <id> [--secret-file <file>]
//   npm run cameras -- disable --camera <id>   |   enable --camera <id>
// The secret is shown once, on add and rotate: printed, or with --secret-file written to that file
// (mode 600) for the simulator or the RTSP bridge to read.
import { parseArgs } from "node:util";
import { disconnectDb } from "../lib/db.ts";
import { registerCamera } from "../lib/cameras/register-camera.ts";
import { rotateCameraSecret } from "../lib/cameras/rotate-camera-secret.ts";
import { setCameraEnabled } from "../lib/cameras/set-camera-enabled.ts";
import { listCameras } from "../lib/cameras/list-cameras.ts";
import { writeCameraSecret } from "./lib/camera-secret.ts";

const actor = { id: null, role: "SYSTEM" };
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    store: { type: "string" },
    name: { type: "string" },
    camera: { type: "string" },
    json: { type: "boolean" },
    "secret-file": { type: "string" },
  },
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
      const r = await registerCamera({
        storeSlug: need(values.store, "store"),
        name: need(values.name, "name"),
        actor,
      });
      if (values["secret-file"]) {
        writeCameraSecret(values["secret-file"], r.secret);
        console.log(
          values.json
            ? JSON.stringify({ cameraId: r.cameraId, secretFile: values["secret-file"] })
            : `camera ${r.cameraId}\nsecret written to ${values["secret-file"]} (mode 600)`,
        );
      } else if (values.json) console.log(JSON.stringify(r));
      else console.log(`camera ${r.cameraId}\nsecret ${r.secret}\n(shown once: keep it in the camera's configuration)`);
      return;
    }
    case "rotate": {
      const r = await rotateCameraSecret({ cameraId: need(values.camera, "camera"), actor });
      if (values["secret-file"]) {
        writeCameraSecret(values["secret-file"], r.secret);
        console.log(
          `camera ${r.cameraId}\nnew secret written to ${values["secret-file"]} (the old secret no longer works)`,
        );
      } else if (values.json) console.log(JSON.stringify(r));
      else console.log(`camera ${r.cameraId}\nnew secret ${r.secret}\n(the old secret no longer works)`);
      return;
    }
    case "disable":
    case "enable":
      await setCameraEnabled({ cameraId: need(values.camera, "camera"), enabled: cmd === "enable", actor });
      console.log(`camera ${values.camera} ${cmd}d`);
      return;
    case "list":
      for (const c of await listCameras(values.store))
        console.log(`${c.id}\t${c.store}\t${c.enabled ? "enabled" : "disabled"}\t${c.name}`);
      return;
    default:
      console.error(
        "usage: npm run cameras -- add|list|rotate|disable|enable [--store slug] [--name name] [--camera id] [--secret-file file] [--json]",
      );
      process.exit(2);
  }
}

main()
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
