/** A small server-rendered bar chart with a text alternative (the same numbers as a list). */
export function BarChart({ title, bars }: { title: string; bars: { label: string; value: number }[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = Math.max(bars.length * 14, 120);
  return (
    <figure>
      <svg viewBox={`0 0 ${w} 80`} width="100%" height="120" role="img" aria-label={title}>
        {bars.map((b, i) => {
          const h = (b.value / max) * 70;
          return (
            <rect key={i} x={i * 14 + 2} y={78 - h} width={10} height={h} fill="#1f5fbf">
              <title>{`${b.label}: ${b.value}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted">
        {title}: {bars.map((b) => `${b.label} ${b.value}`).join(", ") || "—"}
      </figcaption>
    </figure>
  );
}
