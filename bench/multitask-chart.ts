/**
 * bench:multitask's chart as a hand-written SVG (no chart dependency, like tradeoff-chart.ts): one
 * panel per task pair × images per class; per arm a dark bar (primary task's validation accuracy)
 * and a light one (auxiliary task's), with the single-task baselines as dashed lines.
 */

/** One trained configuration's result: both tasks' last-epoch validation accuracy. */
export interface Cell {
  pair: string;
  perClass: number;
  arm: string;
  primary: number;
  aux: number;
  seconds: number;
}

export interface Panel {
  pair: string;
  perClass: number;
  /** [primary, auxiliary] task names. */
  tasks: string[];
}

const W = 420;
const H = 280;
const M = { left: 44, right: 12, top: 26, bottom: 92 };
const DARK = '#1f5f99';
const LIGHT = '#9cc3e4';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(dx: number, dy: number, p: Panel, cells: Cell[], arms: string[]): string {
  const y = (acc: number) => dy + M.top + (1 - acc) * (H - M.top - M.bottom);
  const slot = (W - M.left - M.right) / Math.max(arms.length, 1);
  const out = [
    `<text x="${dx + W / 2}" y="${dy + 16}" text-anchor="middle" font-weight="bold">${esc(
      `${p.pair}: ${p.tasks.join(' + ')}, ${p.perClass} img/class`,
    )}</text>`,
  ];
  for (const a of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(
      `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${y(a)}" y2="${y(a)}" stroke="#ddd"/>`,
      `<text x="${dx + M.left - 5}" y="${y(a) + 4}" text-anchor="end">${a * 100} %</text>`,
    );
  }
  const at = (arm: string) =>
    cells.find((c) => c.pair === p.pair && c.perClass === p.perClass && c.arm === arm);
  arms.forEach((arm, i) => {
    const c = at(arm);
    const x0 = dx + M.left + i * slot + slot * 0.15;
    const bw = slot * 0.35;
    [c?.primary, c?.aux].forEach((v, k) => {
      if (v === undefined || !Number.isFinite(v)) return;
      const top = y(v);
      out.push(
        `<rect x="${(x0 + k * bw).toFixed(1)}" y="${top.toFixed(1)}" width="${bw.toFixed(1)}" ` +
          `height="${(y(0) - top).toFixed(1)}" fill="${k === 0 ? DARK : LIGHT}"/>`,
      );
    });
    const lx = x0 + bw;
    const ly = y(0) + 8;
    out.push(
      `<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="end" ` +
        `transform="rotate(-50 ${lx.toFixed(1)} ${ly.toFixed(1)})">${esc(arm)}</text>`,
    );
  });
  const base = at('single-task');
  [base?.primary, base?.aux].forEach((v, k) => {
    if (v === undefined || !Number.isFinite(v)) return;
    out.push(
      `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" ` +
        `stroke="${k === 0 ? DARK : LIGHT}" stroke-dasharray="5 3"/>`,
    );
  });
  out.push(
    `<line x1="${dx + M.left}" x2="${dx + M.left}" y1="${y(1)}" y2="${y(0)}" stroke="#444"/>`,
    `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${y(0)}" y2="${y(0)}" stroke="#444"/>`,
  );
  return out.join('\n');
}

export function multitaskSvg(opts: {
  cells: Cell[];
  arms: string[];
  panels: Panel[];
  caption: string;
}): string {
  const cols = Math.min(2, opts.panels.length);
  const rows = Math.ceil(opts.panels.length / Math.max(cols, 1));
  const width = Math.max(cols, 1) * W;
  const height = rows * H + 40;
  const panels = opts.panels.map((p, i) =>
    panel((i % cols) * W, Math.floor(i / cols) * H, p, opts.cells, opts.arms),
  );
  const legend =
    `<rect x="${M.left}" y="${rows * H + 6}" width="12" height="10" fill="${DARK}"/>` +
    `<text x="${M.left + 16}" y="${rows * H + 15}">primary task</text>` +
    `<rect x="${M.left + 110}" y="${rows * H + 6}" width="12" height="10" fill="${LIGHT}"/>` +
    `<text x="${M.left + 126}" y="${rows * H + 15}">auxiliary task</text>` +
    `<text x="${M.left}" y="${rows * H + 32}" fill="#555">${esc(
      `dashed: single-task baselines; ${opts.caption}`,
    )}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...panels,
    legend,
    '</svg>',
    '',
  ].join('\n');
}
