/**
 * element.ts: <kv-bench-chart>, the island of one benchmark chart. It owns its SVG: reads the
 * chart model from its data-model attribute (built at build time from the committed
 * results, so there is no fetch), draws it into its .bc-plot box with render.ts, redraws
 * when its width changes, and says data-ready="true" once drawn (the browser tests wait
 * for it).
 */
import type { ChartModel } from './charts.js';
import { renderChart } from './render.js';

class KvBenchChart extends HTMLElement {
  private model: ChartModel | undefined;
  private width = 0;
  private resize: ResizeObserver | undefined;

  /** Parses the model and draws it; redraws on a width change. */
  connectedCallback(): void {
    if (this.model) return;
    const plot = this.querySelector<HTMLElement>('.bc-plot');
    if (!plot || !this.dataset.model) return;
    this.model = JSON.parse(this.dataset.model) as ChartModel;
    plot.querySelector('.bc-nojs')?.remove();
    this.draw(plot);
    this.resize = new ResizeObserver(() => {
      if (Math.abs(plot.clientWidth - this.width) >= 1) this.draw(plot);
    });
    this.resize.observe(plot);
    this.dataset.ready = 'true';
  }

  /** Stops watching the size. */
  disconnectedCallback(): void {
    this.resize?.disconnect();
    this.resize = undefined;
    this.model = undefined;
  }

  /** Draws at the plot box's current width. */
  private draw(plot: HTMLElement): void {
    this.width = plot.clientWidth;
    renderChart(plot, this.model!, this.width || 640);
  }
}

/** Defines <kv-bench-chart> once. */
export function defineBenchChart(): void {
  if (!customElements.get('kv-bench-chart')) customElements.define('kv-bench-chart', KvBenchChart);
}
