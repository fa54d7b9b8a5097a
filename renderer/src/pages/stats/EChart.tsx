import { DownloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useT } from '../../stores/app-store';

// Only the pieces the page draws, so the renderer bundle stays small.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** One chart on a canvas, resized with its box; `fileName` names the PNG "导出图片" saves. */
export function EChart({ option, height = 300, fileName, testId }: { option: ChartOption; height?: number; fileName: string; testId: string }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  const save = () => {
    const c = chart.current;
    if (!c) return;
    const a = document.createElement('a');
    a.href = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    a.download = `${fileName}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  return (
    <div data-testid={testId}>
      <div style={{ textAlign: 'right' }}>
        <Button size="small" icon={<DownloadOutlined />} onClick={save} data-testid={`${testId}-png`}>
          {t('stats.exportImage')}
        </Button>
      </div>
      <div ref={box} style={{ width: '100%', height }} />
    </div>
  );
}
