// Draws a Chart.js chart above each dashboard table marked `figure[data-chart]`.
// The table is the accessible version and stays on the page; the chart is read from it, so
// the page says everything without JavaScript. A cell with data-value="" is suppressed
// ("fewer than 5") or not applicable: it is a gap in the chart, never a number.
// Chart.js is its UMD build (it has no other dependency to resolve without a bundler); its
// address comes from the data-chartjs attribute of the <script> that loads this module.

// The same palette as dashboard/svg.py; lines also differ by dash, so that series can be told
// apart in greyscale and by people who do not see the colours.
const PALETTE = ["#1d70b8", "#b35a00", "#00703c", "#4c2c92", "#d4351c", "#505a5f"];
const DASHES = [[], [6, 3], [2, 3], [8, 3, 2, 3], [12, 4], [4, 4]];
const POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"];
const TEXT_COLOUR = "#0b0c0c";
const GRID_COLOUR = "#b1b4b6";
const FONT_FAMILY =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

// data-chart value -> how Chart.js draws it
const KINDS = {
  bar: { type: "bar", indexAxis: "y" },
  column: { type: "bar", indexAxis: "x" },
  line: { type: "line", indexAxis: "x" },
};

const text = (element) => (element ? element.textContent.trim().replace(/\s+/g, " ") : "");

function cellValue(cell) {
  const raw = cell ? cell.dataset.value : undefined;
  if (raw === undefined || raw.trim() === "") return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

// Reads the figure's table: row labels, and one series per column header marked data-series.
export function readTable(table) {
  const headers = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
  const charted = headers
    .map((header, index) => ({ header, index }))
    .filter(({ header }) => header.hasAttribute("data-series"));
  const rows = Array.from(table.tBodies).flatMap((body) => Array.from(body.rows));
  return {
    labels: rows.map((row) => text(row.cells[0])),
    series: charted.map(({ header, index }) => ({
      label: text(header),
      data: rows.map((row) => cellValue(row.cells[index])),
    })),
  };
}

function dataset(series, index, kind) {
  const colour = PALETTE[index % PALETTE.length];
  const common = { label: series.label, data: series.data, borderColor: colour };
  if (kind.type === "line") {
    return {
      ...common,
      backgroundColor: colour,
      borderDash: DASHES[index % DASHES.length],
      borderWidth: 2,
      pointStyle: POINT_STYLES[index % POINT_STYLES.length],
      pointRadius: 4,
      spanGaps: false, // a suppressed month is a break in the line
    };
  }
  return { ...common, backgroundColor: colour, borderWidth: 0, maxBarThickness: 40 };
}

export function chartConfig({ labels, series }, kindName, unit) {
  const kind = KINDS[kindName];
  const valueAxis = kind.indexAxis === "y" ? "x" : "y";
  const categoryAxis = valueAxis === "x" ? "y" : "x";
  return {
    type: kind.type,
    data: { labels, datasets: series.map((s, i) => dataset(s, i, kind)) },
    options: {
      indexAxis: kind.indexAxis,
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false, axis: categoryAxis },
      scales: {
        [valueAxis]: {
          beginAtZero: true,
          title: { display: Boolean(unit), text: unit },
          grid: { color: GRID_COLOUR },
          ticks: { precision: 0 },
        },
        [categoryAxis]: { grid: { display: false } },
      },
      plugins: {
        legend: {
          display: series.length > 1,
          position: "top",
          labels: { usePointStyle: kind.type === "line" },
        },
        // A suppressed figure has no number to show: leave it out of the tooltip.
        tooltip: { filter: (item) => item.raw !== null && item.raw !== undefined },
      },
    },
  };
}

function drawFigure(Chart, figure) {
  const kindName = figure.dataset.chart;
  const table = figure.querySelector("table[data-chart-table]");
  const holder = figure.querySelector(".caspa-chart__canvas");
  if (!(kindName in KINDS) || !table || !holder) return null;
  const data = readTable(table);
  if (!data.series.length || !data.labels.length) return null;

  const title = text(figure.querySelector("figcaption")) || text(table.caption);
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `Chart: ${title}. The same figures are in the table below.`);
  holder.replaceChildren(canvas);
  holder.hidden = false;
  // Horizontal bars need room for every row: grow the box past its 20rem for long lists.
  const bars = data.labels.length * data.series.length;
  if (kindName === "bar" && bars > 10) holder.style.height = `${6 + bars * 1.4}rem`;
  return new Chart(canvas, chartConfig(data, kindName, figure.dataset.unit || ""));
}

const figures = document.querySelectorAll("figure[data-chart]");
if (figures.length) {
  const script = document.querySelector("script[data-chartjs]");
  await import(script.dataset.chartjs); // the UMD build sets globalThis.Chart
  const { Chart } = globalThis;
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = TEXT_COLOUR;
  figures.forEach((figure) => drawFigure(Chart, figure));
}
