import Link from "next/link";
import { listCameras } from "@/lib/cameras/list-cameras.ts";
import { listStores } from "@/lib/stores/list-stores.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { registerCameraAction, rotateCameraAction, toggleCameraAction } from "./actions.ts";
import { ShowOnceForm } from "../_components/show-once-form.tsx";
import { pageTitle } from "../../../_lib/page-title.ts";
import { StoreAndNameFields } from "../_components/store-and-name-fields.tsx";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.cameras);

export default async function CamerasPage() {
  const { m } = await t();
  const user = await staffUser("ADMIN");
  if (!user) return <p role="alert">{m.staff.adminOnly}</p>;
  const [cameras, stores] = await Promise.all([listCameras(), listStores()]);
  const labels = {
    once: m.staff.secretOnce,
    errors: m.errors as unknown as Record<string, string>,
    generic: m.errors.generic,
  };
  return (
    <>
      <h1>{m.staff.cameras}</h1>
      <section className="card">
        <h2>{m.staff.register}</h2>
        <ShowOnceForm
          fields={["cameraId", "secret"]}
          testId="camera-secret"
          action={registerCameraAction}
          labels={labels}
        >
          <StoreAndNameFields idPrefix="" stores={stores} labels={{ store: m.staff.store, name: m.staff.name }} />
          <button type="submit">{m.staff.register}</button>
        </ShowOnceForm>
      </section>
      <div className="table-wrap">
        <table data-testid="cameras">
          <thead>
            <tr>
              <th scope="col">{m.staff.camera}</th>
              <th scope="col">{m.staff.store}</th>
              <th scope="col">{m.staff.state}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {cameras.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  <br />
                  <code>{c.id}</code>
                  <br />
                  <Link href={`/staff/cameras/${encodeURIComponent(c.id)}`}>{m.staff.countingLine.link}</Link>
                </td>
                <td>{c.storeName}</td>
                <td>{c.enabled ? m.staff.enabled : m.staff.disabled}</td>
                <td>
                  <form action={toggleCameraAction}>
                    <input type="hidden" name="camera" value={c.id} />
                    <input type="hidden" name="enabled" value={String(!c.enabled)} />
                    <button type="submit" className="secondary">
                      {c.enabled ? m.staff.disable : m.staff.enable}
                    </button>
                  </form>
                  <ShowOnceForm
                    fields={["cameraId", "secret"]}
                    testId="camera-secret"
                    action={rotateCameraAction}
                    labels={labels}
                  >
                    <input type="hidden" name="camera" value={c.id} />
                    <button type="submit" className="secondary">
                      {m.staff.rotate}
                    </button>
                  </ShowOnceForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
