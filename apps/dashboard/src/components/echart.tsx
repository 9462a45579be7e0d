'use client';

import { LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws, on canvas (thousands of line segments stay smooth).
echarts.use([
  LineChart,
  ParallelChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  ParallelComponent,
  DataZoomComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

interface Props {
  option: ChartOption;
  /** Accessible name of the chart (canvas has no text of its own). */
  label: string;
  height?: number;
  /** Called with the series name under the pointer (null when it leaves), e.g. to sync a table. */
  onHoverSeries?: (name: string | null) => void;
  /** Called with the clicked data item's series name. */
  onClickSeries?: (name: string) => void;
}

/** One ECharts instance on a canvas; options replace the previous ones (notMerge). */
export function EChart({ option, label, height = 320, onHoverSeries, onClickSeries }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const handlers = useRef({ onHoverSeries, onClickSeries });
  handlers.current = { onHoverSeries, onClickSeries };

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('mouseover', (e) => handlers.current.onHoverSeries?.(e.seriesName ?? null));
    c.on('mouseout', () => handlers.current.onHoverSeries?.(null));
    c.on('click', (e) => {
      if (e.seriesName) handlers.current.onClickSeries?.(e.seriesName);
    });
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(ref.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}
