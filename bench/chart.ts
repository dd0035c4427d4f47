/** One point: a strategy's median requests per job and median p50 latency. */
export interface ChartPoint {
  readonly label: string;
  readonly requestsPerJob: number;
  readonly p50: number;
  readonly clipstream: boolean;
}

const width = 460;
const height = 340;
const margin = { left: 60, right: 20, top: 36, bottom: 48 };

/** An SVG of detection latency (p50, log scale) against requests per job (log scale), one panel per population size. */
export function chart(panels: ReadonlyArray<{ title: string; points: readonly ChartPoint[] }>, caption: string): string {
  const parts = panels.map((panel, index) => `<g transform="translate(${index * width},0)">${panelSvg(panel.title, panel.points)}</g>`);
  const total = width * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${height + 24}" viewBox="0 0 ${total} ${height + 24}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    `<text x="${total / 2}" y="${height + 16}" text-anchor="middle" fill="#555">${escape(caption)}</text>`,
    `</svg>`,
  ].join('\n');
}

function panelSvg(title: string, points: readonly ChartPoint[]): string {
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
  points.forEach((point, index) => {
    const x = sx(xs[index]!);
    const y = sy(ys[index]!);
    const colour = point.clipstream ? '#1f6feb' : '#d1242f';
    out.push(`<circle cx="${x}" cy="${y}" r="4" fill="${colour}"/>`);
    out.push(`<text x="${x + 6}" y="${y - 5 + (index % 3) * 9}" fill="${colour}">${escape(point.label)}</text>`);
  });
  return out.join('\n');
}

const decadeBelow = (value: number) => 10 ** Math.floor(Math.log10(value));
const decadeAbove = (value: number) => 10 ** Math.ceil(Math.log10(value) + 1e-9);
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
