/** The two fields of every "new device for a store" form (a camera, an entrance display). */
export function StoreAndNameFields(props: {
  idPrefix: string;
  stores: { slug: string; name: string }[];
  labels: { store: string; name: string };
}) {
  const [store, name] = [`${props.idPrefix}store`, `${props.idPrefix}name`];
  return (
    <>
      <div>
        <label htmlFor={store}>{props.labels.store}</label>
        <select id={store} name="store" required>
          {props.stores.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={name}>{props.labels.name}</label>
        <input id={name} name="name" type="text" required maxLength={80} />
      </div>
    </>
  );
}
