// Draws a Chart.js chart above each dashboard table marked `figure[data-chart]`.
// The table is the accessible version and stays on the page; the chart is read from it, so
// the page says everything without JavaScript. A cell with data-value="" has no number to
// draw, never a number made up: where it is hidden it also has data-hidden (its kind), and
// the chart marks it at its bar's place, a hatched, outlined stub with the cell's own text
// ("fewer than 5", "not shown"), so that it cannot be read as 0; the chart's description
// names each hidden figure too. A cell that is only not applicable is a gap.
// Chart.js is its UMD build (it has no other dependency to resolve without a bundler); its
// address comes from the data-chartjs attribute of the <script> that loads this module.

// The same palette as dashboard/svg.py; lines also differ by dash, so that series can be told
// apart in greyscale and by people who do not see the colours.
const PALETTE = ["#1d70b8", "#b35a00", "#00703c", "#4c2c92", "#d4351c", "#505a5f"];
const DASHES = [[], [6, 3], [2, 3], [8, 3, 2, 3], [12, 4], [4, 4]];
const POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"];
const TEXT_COLOUR = "#0b0c0c";
const MUTED_COLOUR = "#505a5f";
const GRID_COLOUR = "#b1b4b6";
const MARK_LENGTH = 14; // px: a hidden figure's stub, along the value axis from 0
const MARK_FONT_SIZE = 12;
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

// What a hidden cell says instead of its figure; null for a cell that is not hidden.
function cellHidden(cell) {
  return cell && cell.hasAttribute("data-hidden") ? text(cell) : null;
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
      hidden: rows.map((row) => cellHidden(row.cells[index])),
    })),
  };
}

// The chart's accessible name: its title, and every hidden figure, by row and series.
export function describe(title, { labels, series }) {
  const hidden = labels.flatMap((label, i) =>
    series.filter((s) => s.hidden[i]).map((s) => `${label}, ${s.label}: ${s.hidden[i]}`),
  );
  return [
    `Chart: ${title}.`,
    hidden.length ? `Hidden figures, marked on the chart: ${hidden.join("; ")}.` : "",
    "The same figures are in the table below.",
  ]
    .filter(Boolean)
    .join(" ");
}

function dataset(series, index, kind) {
  const colour = PALETTE[index % PALETTE.length];
  // hiddenText is ours: Chart.js ignores it, and the hiddenMarks plugin reads it.
  const common = {
    label: series.label,
    data: series.data,
    hiddenText: series.hidden,
    borderColor: colour,
  };
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
        // A hidden figure has no number to show: its tooltip says what its cell says.
        tooltip: {
          filter: (item) => (item.raw ?? hiddenTextOf(item)) != null,
          callbacks: {
            label: (item) => {
              const hidden = hiddenTextOf(item);
              return hidden ? `${item.dataset.label}: ${hidden}` : undefined;
            },
          },
        },
      },
    },
    plugins: [hiddenMarks],
  };
}

function hiddenTextOf(item) {
  return (item.dataset.hiddenText || [])[item.dataIndex] || null;
}

// Where each hidden figure's bar (or point) would be: a stub from the value axis's 0, as
// thick as the bar, and where its text goes. Pixels, in the chart's coordinates.
export function markPlaces(chart) {
  const vertical = chart.options.indexAxis !== "y";
  const zero = chart.scales[vertical ? "y" : "x"].getPixelForValue(0);
  const line = chart.config.type === "line";
  return chart.data.datasets.flatMap((dataset, d) => {
    if (!chart.isDatasetVisible(d)) return [];
    const elements = chart.getDatasetMeta(d).data;
    return (dataset.hiddenText || []).flatMap((hidden, i) => {
      const element = elements[i];
      if (!hidden || !element) return [];
      const props = element.getProps(["x", "y", "width", "height"], true);
      const centre = vertical ? props.x : props.y;
      const thick = line ? MARK_FONT_SIZE : Math.max(vertical ? props.width : props.height, 4);
      if (!Number.isFinite(centre) || !Number.isFinite(zero)) return [];
      const box = vertical
        ? { x: centre - thick / 2, y: zero - MARK_LENGTH, width: thick, height: MARK_LENGTH }
        : { x: zero, y: centre - thick / 2, width: MARK_LENGTH, height: thick };
      return [{ ...box, vertical, centre, zero, text: hidden, colour: dataset.borderColor }];
    });
  });
}

function drawMark(context, mark) {
  const { x, y, width, height, colour } = mark;
  context.save();
  context.beginPath();
  context.rect(x, y, width, height);
  context.clip();
  context.strokeStyle = colour;
  context.lineWidth = 1.5;
  context.beginPath();
  for (let offset = -height; offset < width; offset += 4) {
    context.moveTo(x + offset, y + height);
    context.lineTo(x + offset + height, y);
  }
  context.stroke();
  context.restore();

  context.save();
  context.strokeStyle = colour;
  context.lineWidth = 1;
  context.setLineDash([3, 2]);
  context.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
  context.restore();

  context.save();
  context.fillStyle = MUTED_COLOUR;
  context.font = `${MARK_FONT_SIZE}px ${FONT_FAMILY}`;
  context.textBaseline = "middle";
  if (mark.vertical) {
    context.translate(mark.centre, mark.zero - MARK_LENGTH - 4);
    context.rotate(-Math.PI / 2);
    context.fillText(mark.text, 0, 0);
  } else {
    context.fillText(mark.text, mark.zero + MARK_LENGTH + 4, mark.centre);
  }
  context.restore();
}

// Draws the marks over the chart, after its bars.
const hiddenMarks = {
  id: "caspaHiddenMarks",
  afterDatasetsDraw(chart) {
    markPlaces(chart).forEach((mark) => drawMark(chart.ctx, mark));
  },
};

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
  canvas.setAttribute("aria-label", describe(title, data));
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
