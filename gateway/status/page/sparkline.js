// A small hand-drawn SVG plot of one series: a step line for held values (a lamp's level, a
// space's occupancy), a straight line between samples for measured ones (a bin's fill). No axes:
// the card beside it shows the value; the plot shows the shape of the last points.
const SVG = 'http://www.w3.org/2000/svg';
export const WIDTH = 120;
export const HEIGHT = 28;

/** The path for `times`/`values` (oldest first) drawn from their first time to `now`. */
export function sparkPath(times, values, { min, max, now, step }) {
  if (times.length === 0) return '';
  const t0 = times[0];
  const span = Math.max(1, now - t0);
  const x = (t) => ((Math.min(t, now) - t0) / span) * WIDTH;
  const y = (v) => {
    const f = max > min ? (Math.min(max, Math.max(min, v)) - min) / (max - min) : 0.5;
    return (1 - f) * (HEIGHT - 2) + 1;
  };
  const r = (n) => Math.round(n * 10) / 10;
  let d = `M${r(x(times[0]))} ${r(y(values[0]))}`;
  for (let i = 1; i < times.length; i++) {
    d += step ? `H${r(x(times[i]))}V${r(y(values[i]))}` : `L${r(x(times[i]))} ${r(y(values[i]))}`;
  }
  return d + `H${WIDTH}`;
}

/** A new, empty plot element. */
export function createSpark(label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const path = document.createElementNS(SVG, 'path');
  svg.appendChild(path);
  return svg;
}

/** Redraws `svg` (from createSpark) with the series, or empties it when there is none. */
export function drawSpark(svg, series, options) {
  const path = svg.firstChild;
  const d = series ? sparkPath(series.times, series.values, options) : '';
  if (path.getAttribute('d') !== d) path.setAttribute('d', d);
  svg.classList.toggle('empty', d === '');
}
