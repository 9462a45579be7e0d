/**
 * The trade-off chart as a hand-written SVG (no chart dependency): left, validation accuracy
 * against images per class for each freeze strategy (solid in-domain, dashed shifted); right,
 * accuracy against the base learning rate. Both x axes are logarithmic, y is 0–100 %.
 */
export interface Series {
  label: string;
  arm: string;
  dashed: boolean;
  points: [number, number][];
}

const COLOURS: Record<string, string> = {
  'feature-extraction': '#1f77b4',
  partial: '#ff7f0e',
  full: '#2ca02c',
  scratch: '#7f7f7f',
};

/** 5 classes (Fashion-MNIST 5–9). */
const CHANCE = 0.2;
const W = 440;
const H = 300;
const M = { left: 48, right: 20, top: 28, bottom: 40 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One panel at horizontal offset `dx`: axes, log-x ticks, y grid and the polylines. */
function panel(
  dx: number,
  title: string,
  xLabel: string,
  xs: number[],
  lines: { colour: string; dashed: boolean; points: [number, number][] }[],
): string {
  const lo = Math.log10(Math.min(...xs));
  const hi = Math.log10(Math.max(...xs));
  const span = hi - lo || 1;
  const x = (v: number) => dx + M.left + ((Math.log10(v) - lo) / span) * (W - M.left - M.right);
  const y = (acc: number) => M.top + (1 - acc) * (H - M.top - M.bottom);
  const out: string[] = [
    `<text x="${dx + W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const a of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(
      `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${y(a)}" y2="${y(a)}" stroke="#ddd"/>`,
      `<text x="${dx + M.left - 6}" y="${y(a) + 4}" text-anchor="end">${a * 100} %</text>`,
    );
  }
  for (const v of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(
      `<text x="${x(v).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${v}</text>`,
    );
  }
  out.push(
    `<text x="${dx + W / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<line x1="${dx + M.left}" x2="${dx + M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#444"/>`,
    `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#444"/>`,
  );
  out.push(
    `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${y(CHANCE)}" y2="${y(CHANCE)}" stroke="#999" stroke-dasharray="2 3"/>`,
    `<text x="${dx + W - M.right}" y="${y(CHANCE) - 3}" text-anchor="end" fill="#999">chance</text>`,
  );
  for (const l of lines) {
    const pts = l.points.filter(([, a]) => Number.isFinite(a));
    if (pts.length === 0) continue;
    const path = pts.map(([v, a]) => `${x(v).toFixed(1)},${y(a).toFixed(1)}`).join(' ');
    const dash = l.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline points="${path}" fill="none" stroke="${l.colour}" stroke-width="2"${dash}/>`,
      ...pts.map(
        ([v, a]) =>
          `<circle cx="${x(v).toFixed(1)}" cy="${y(a).toFixed(1)}" r="3" fill="${l.colour}"/>`,
      ),
    );
  }
  return out.join('\n');
}

export function tradeoffSvg(opts: {
  series: Series[];
  lrs: { baseLr: number; valAcc: number }[];
  caption: string;
  lrPerClass: number;
}): string {
  const xs = opts.series.flatMap((s) => s.points.map(([v]) => v));
  const left = panel(
    0,
    'Validation accuracy vs images per class',
    'images per class (log)',
    xs.length > 0 ? xs : [1],
    opts.series.map((s) => ({
      colour: COLOURS[s.arm] ?? '#000',
      dashed: s.dashed,
      points: s.points,
    })),
  );
  const lrXs = opts.lrs.map((r) => r.baseLr);
  const right = panel(
    W,
    `Full fine-tuning, ${opts.lrPerClass}/class: accuracy vs baseLr`,
    'baseLr (log; headLr 1e-3)',
    lrXs.length > 0 ? lrXs : [1],
    [
      {
        colour: COLOURS['full']!,
        dashed: false,
        points: opts.lrs.map((r) => [r.baseLr, r.valAcc]),
      },
    ],
  );
  const legend = Object.entries(COLOURS)
    .map(
      ([arm, colour], i) =>
        `<rect x="${M.left + i * 130}" y="${H + 8}" width="14" height="4" fill="${colour}"/>` +
        `<text x="${M.left + i * 130 + 20}" y="${H + 14}">${arm}</text>`,
    )
    .join('\n');
  const note =
    `<text x="${M.left + 545}" y="${H + 14}">solid: in-domain, dashed: shifted (inverted)</text>` +
    `<text x="${M.left}" y="${H + 34}" fill="#555">${esc(opts.caption)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 44}" ` +
      `viewBox="0 0 ${2 * W} ${H + 44}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    left,
    right,
    legend,
    note,
    '</svg>',
    '',
  ].join('\n');
}
