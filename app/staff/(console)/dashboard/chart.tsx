import { AxisBottom, AxisLeft, AxisRight } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar, LinePath } from "@visx/shape";

// A server-rendered chart (visx: SVG primitives, no client JavaScript; docs/decisions/0009). Every
// chart has a title, a description that says what it shows in words, and the same numbers as a
// table, so it reads without the picture. Series differ by shape (bars, solid or dashed lines,
// round or square points) as well as colour.

export type ChartSeries = {
  label: string;
  values: number[];
  kind: "bar" | "line";
  /** The right axis, for a secondary series of another magnitude. */
  axis?: "left" | "right";
};

const WIDTH = 720;
const HEIGHT = 280;
const MARGIN = { top: 16, right: 64, bottom: 52, left: 64 };
const COLOURS = ["#1f5fbf", "#b04a00", "#2e7d32", "#6a1b9a"];
const INK = "#33333d";

function yScale(values: number[], height: number) {
  const max = Math.max(1, ...values);
  return scaleLinear<number>({ domain: [0, max], range: [height, 0], nice: true });
}

export function Chart(props: {
  id: string;
  title: string;
  description: string;
  categories: string[];
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  series: ChartSeries[];
  tableLabel: string;
  locale: string;
}) {
  const { id, categories, series } = props;
  const fmt = new Intl.NumberFormat(props.locale, { maximumFractionDigits: 1 });
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scaleBand<string>({ domain: categories, range: [0, innerW], padding: 0.2 });
  const left = series.filter((s) => s.axis !== "right");
  const right = series.filter((s) => s.axis === "right");
  const y = yScale(
    left.flatMap((s) => s.values),
    innerH,
  );
  const y2 = yScale(
    right.flatMap((s) => s.values),
    innerH,
  );
  const bars = series.filter((s) => s.kind === "bar");
  const inner = scaleBand<number>({ domain: bars.map((_, i) => i), range: [0, x.bandwidth()], padding: 0.1 });
  const every = Math.ceil(categories.length / 12);
  const ticks = categories.filter((_, i) => i % every === 0);
  // Whole numbers only: these are counts of people, frames and events.
  const intTick = (v: unknown) => (Number.isInteger(Number(v)) ? fmt.format(Number(v)) : "");
  const ticksFor = (s: typeof y) => Math.min(5, Math.max(1, s.domain()[1]!));
  const tickLabel = { fill: INK, fontSize: 12 } as const;
  const axisLabel = { fill: INK, fontSize: 13, textAnchor: "middle" } as const;
  const colour = (s: ChartSeries) => COLOURS[series.indexOf(s) % COLOURS.length]!;
  const lineIndex = (s: ChartSeries) => series.filter((o) => o.kind === "line").indexOf(s);
  const cx = (c: string) => (x(c) ?? 0) + x.bandwidth() / 2;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption id={`${id}-title`} className="chart-title">
        {props.title}
      </figcaption>
      <p id={`${id}-desc`} className="muted">
        {props.description}
      </p>
      {series.length > 1 && (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.label}>
              <svg width="28" height="12" viewBox="0 0 28 12">
                {s.kind === "bar" ? (
                  <rect x="6" y="0" width="16" height="12" fill={colour(s)} />
                ) : (
                  <line
                    x1="0"
                    y1="6"
                    x2="28"
                    y2="6"
                    stroke={colour(s)}
                    strokeWidth="2.5"
                    strokeDasharray={lineIndex(s) % 2 ? "6 3" : undefined}
                  />
                )}
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        className="chart-svg"
      >
        <Group left={MARGIN.left} top={MARGIN.top}>
          {bars.map((s, b) =>
            s.values.map((v, i) => {
              const c = categories[i]!;
              const top = y(v);
              return (
                <Bar
                  key={`${b}-${c}`}
                  x={(x(c) ?? 0) + (inner(b) ?? 0)}
                  y={top}
                  width={inner.bandwidth()}
                  height={Math.max(0, innerH - top)}
                  fill={colour(s)}
                />
              );
            }),
          )}
          {series
            .filter((s) => s.kind === "line")
            .map((s) => {
              const scale = s.axis === "right" ? y2 : y;
              const points = s.values.map((v, i) => ({ c: categories[i]!, v }));
              const square = lineIndex(s) % 2 === 1;
              return (
                <g key={s.label}>
                  <LinePath
                    data={points}
                    x={(p) => cx(p.c)}
                    y={(p) => scale(p.v)}
                    stroke={colour(s)}
                    strokeWidth={2.5}
                    strokeDasharray={square ? "6 3" : undefined}
                    fill="none"
                  />
                  {points.map((p) =>
                    square ? (
                      <rect key={p.c} x={cx(p.c) - 3.5} y={scale(p.v) - 3.5} width={7} height={7} fill={colour(s)} />
                    ) : (
                      <circle key={p.c} cx={cx(p.c)} cy={scale(p.v)} r={3.5} fill={colour(s)} />
                    ),
                  )}
                </g>
              );
            })}
          <AxisLeft
            scale={y}
            numTicks={ticksFor(y)}
            tickFormat={intTick}
            label={props.yLabel}
            labelOffset={36}
            stroke={INK}
            tickStroke={INK}
            tickLabelProps={{ ...tickLabel, textAnchor: "end", dx: -4, dy: 4 }}
            labelProps={axisLabel}
          />
          {right.length > 0 && (
            <AxisRight
              scale={y2}
              left={innerW}
              numTicks={ticksFor(y2)}
              tickFormat={intTick}
              label={props.y2Label}
              labelOffset={36}
              stroke={INK}
              tickStroke={INK}
              tickLabelProps={{ ...tickLabel, textAnchor: "start", dx: 4, dy: 4 }}
              labelProps={axisLabel}
            />
          )}
          <AxisBottom
            scale={x}
            top={innerH}
            tickValues={ticks}
            label={props.xLabel}
            labelOffset={14}
            stroke={INK}
            tickStroke={INK}
            tickLabelProps={{ ...tickLabel, textAnchor: "middle" }}
            labelProps={axisLabel}
          />
        </Group>
      </svg>
      <details>
        <summary>{props.tableLabel}</summary>
        <div className="table-wrap">
          <table>
            <caption>{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">{props.xLabel}</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {categories.map((c, i) => (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  {series.map((s) => (
                    <td key={s.label}>{fmt.format(s.values[i] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
