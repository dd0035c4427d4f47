/** One point: a strategy's median requests per job and median p50 latency. */
export interface ChartPoint {
  readonly label: string;
  readonly requestsPerJob: number;
  readonly p50: number;
  readonly clipstream: boolean;
  /**
   * The curve it belongs to (the budgets of one strategy): points of a series
   * are joined by a line, named once in the legend, and each is labelled
   * with `short` only.
   */
  readonly series?: string;
  readonly short?: string;
}

/** Colours of the series, in the order they first appear; clipstream's in blues and green, the others in warm colours. */
const ours = ['#1f6feb', '#54aeff', '#1a7f37'];
const theirs = ['#d1242f', '#bc4c00', '#8250df', '#9a6700'];

const width = 460;
const height = 340;
const margin = { left: 60, right: 20, top: 36, bottom: 48 };

/** An SVG of detection latency (p50, log scale) against requests per job (log scale), one panel per population size. */
export function chart(panels: ReadonlyArray<{ title: string; points: readonly ChartPoint[] }>, caption: string): string {
  const styles = seriesStyles(panels.flatMap((panel) => panel.points));
  const series = panels.some((panel) => panel.points.some((point) => point.series !== undefined));
  const parts = panels.map((panel, index) => `<g transform="translate(${index * width},0)">${panelSvg(panel.title, panel.points, styles, series)}</g>`);
  const total = width * panels.length;
  const legendHeight = series ? 22 : 0;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${height + 24 + legendHeight}" viewBox="0 0 ${total} ${height + 24 + legendHeight}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    ...(series ? [legendSvg(styles, height + 14, total)] : []),
    `<text x="${total / 2}" y="${height + 16 + legendHeight}" text-anchor="middle" fill="#555">${escape(caption)}</text>`,
    `</svg>`,
  ].join('\n');
}

/** Each series' colour, the same in every panel. */
function seriesStyles(points: readonly ChartPoint[]): Map<string, { colour: string }> {
  const styles = new Map<string, { colour: string }>();
  let [mine, other] = [0, 0];
  for (const point of points) {
    const name = point.series ?? point.label;
    if (styles.has(name)) continue;
    const colour = point.clipstream ? ours[mine++ % ours.length]! : theirs[other++ % theirs.length]!;
    styles.set(name, { colour });
  }
  return styles;
}

function legendSvg(styles: Map<string, { colour: string }>, y: number, total: number): string {
  // Each entry as wide as its name (about 6 px a character at 11 px), the row centred.
  const entries = [...styles];
  const widths = entries.map(([name]) => 36 + 6 * name.length);
  let x = Math.max(12, (total - widths.reduce((sum, w) => sum + w, 0)) / 2);
  return entries
    .map(([name, { colour }], index) => {
      x += index === 0 ? 0 : widths[index - 1]!;
      return `<line x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${colour}" stroke-width="2"/><circle cx="${x + 9}" cy="${y - 4}" r="3.5" fill="${colour}"/><text x="${x + 24}" y="${y}" fill="${colour}">${escape(name)}</text>`;
    })
    .join('\n');
}

function panelSvg(title: string, points: readonly ChartPoint[], styles: Map<string, { colour: string }>, legend: boolean): string {
  const xs = points.map((point) => Math.max(0.1, point.requestsPerJob));
  const ys = points.map((point) => Math.max(0.1, point.p50));
  const [x0, x1] = [decadeBelow(Math.min(...xs)), decadeAbove(Math.max(...xs))];
  const [y0, y1] = [decadeBelow(Math.min(...ys)), decadeAbove(Math.max(...ys))];
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sx = (value: number) => margin.left + ((Math.log10(value) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * plotW;
  const sy = (value: number) => margin.top + plotH - ((Math.log10(value) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * plotH;
  const out: string[] = [`<text x="${width / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold">${escape(title)}</text>`];
  for (let tick = x0; tick <= x1 * 1.0001; tick *= 10) {
    out.push(`<line x1="${sx(tick)}" x2="${sx(tick)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${sx(tick)}" y="${margin.top + plotH + 14}" text-anchor="middle">${tick}</text>`);
  }
  for (let tick = y0; tick <= y1 * 1.0001; tick *= 10) {
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${sy(tick)}" y2="${sy(tick)}" stroke="#eee"/>`);
    out.push(`<text x="${margin.left - 6}" y="${sy(tick) + 4}" text-anchor="end">${tick >= 1000 ? `${tick / 1000} s` : `${tick} ms`}</text>`);
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">requests per job (log)</text>`);
  out.push(`<text x="14" y="${margin.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotH / 2})">detection latency p50 (log)</text>`);
  // A series' points joined in order of requests: one curve per strategy.
  const bySeries = new Map<string, number[]>();
  points.forEach((point, index) => bySeries.set(point.series ?? point.label, [...(bySeries.get(point.series ?? point.label) ?? []), index]));
  for (const [name, indexes] of bySeries) {
    if (indexes.length < 2) continue;
    const path = [...indexes].sort((a, b) => xs[a]! - xs[b]!).map((index) => `${sx(xs[index]!).toFixed(1)},${sy(ys[index]!).toFixed(1)}`);
    out.push(`<polyline points="${path.join(' ')}" fill="none" stroke="${styles.get(name)!.colour}" stroke-width="1.5"/>`);
  }
  points.forEach((point, index) => {
    const x = sx(xs[index]!);
    const y = sy(ys[index]!);
    if (!legend) {
      // No series: blue for clipstream, red for the others, each point named, names staggered so a cluster stays legible.
      const colour = point.clipstream ? '#1f6feb' : '#d1242f';
      out.push(`<circle cx="${x}" cy="${y}" r="4" fill="${colour}"/>`);
      out.push(`<text x="${x + 6}" y="${y - 5 + (index % 3) * 9}" fill="${colour}">${escape(point.label)}</text>`);
      return;
    }
    // With a legend (some point is in a series), the legend names every strategy and a point carries only its short label.
    const { colour } = styles.get(point.series ?? point.label)!;
    out.push(`<circle cx="${x}" cy="${y}" r="3.5" fill="${colour}"/>`);
    if (point.short) out.push(`<text x="${x + 5}" y="${y - 5}" fill="${colour}" font-size="10">${escape(point.short)}</text>`);
  });
  return out.join('\n');
}

const decadeBelow = (value: number) => 10 ** Math.floor(Math.log10(value));
const decadeAbove = (value: number) => 10 ** Math.ceil(Math.log10(value) + 1e-9);
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
