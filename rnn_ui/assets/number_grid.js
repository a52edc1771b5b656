// A table of numbers the learner edits: one text box per cell, sent to the server the moment an
// entry is committed (Enter, Tab or leaving the box). Streamlit's own data editor waits 150 ms
// after each edit before it tells the server, more than half the time a weight edit may take.
//
// data: {values: (number|null)[][], rows: string[], columns: string[], digits: number,
//        label: string}. State "values": the table as the learner left it, null where a box
// holds no number (the server counts it as 0 and says so).

const MINUS = /[\u2212\u2012\u2013\uFE63\uFF0D]/g;  // minus signs an IME or a paste may bring

function parse(text) {
  const plain = text.normalize("NFKC").replace(MINUS, "-").replace(",", ".").trim();
  if (plain === "") return null;
  const value = Number(plain);
  return Number.isFinite(value) ? value : null;
}

function shown(value, digits, editing) {
  if (value === null) return "";
  return editing ? String(value) : value.toFixed(digits);
}

function build(parentElement, data, setStateValue) {
  const grid = {shape: `${data.rows.length}x${data.columns.length}`, digits: data.digits,
                values: [], boxes: [], columnHeads: [], rowHeads: []};
  const table = grid.table = document.createElement("table");
  const head = table.createTHead().insertRow();
  head.appendChild(document.createElement("th"));
  for (const _ of data.columns) {
    const cell = document.createElement("th");
    cell.scope = "col";
    grid.columnHeads.push(head.appendChild(cell));
  }
  const body = table.createTBody();
  for (let r = 0; r < data.rows.length; r++) {
    const row = body.insertRow();
    const header = document.createElement("th");
    header.scope = "row";
    grid.rowHeads.push(row.appendChild(header));
    grid.boxes.push(data.columns.map((_, c) => {
      const box = row.insertCell().appendChild(document.createElement("input"));
      Object.assign(box, {type: "text", inputMode: "decimal", autocomplete: "off",
                          spellcheck: false});
      box.dataset.testid = "rnnlabGridCell";
      listen(grid, box, r, c, setStateValue);
      return box;
    }));
  }
  parentElement.__rnnlabGrid?.table.remove();  // a table of another shape (the style stays)
  parentElement.appendChild(table);
  return grid;
}

function listen(grid, box, r, c, setStateValue) {
  const commit = () => {
    const value = parse(box.value);
    box.dataset.before = box.value;
    if (value === grid.values[r][c]) return;  // nothing new: no run
    grid.values[r][c] = value;
    setStateValue("values", grid.values.map(line => line.slice()));
  };
  box.addEventListener("focus", () => {
    box.value = box.dataset.before = shown(grid.values[r][c], grid.digits, true);
    box.select();
  });
  box.addEventListener("blur", () => {
    commit();
    box.value = shown(grid.values[r][c], grid.digits, false);
  });
  box.addEventListener("keydown", event => {
    if (event.key === "Enter") {
      commit();
      box.select();
    } else if (event.key === "Escape") {
      box.value = box.dataset.before ?? box.value;
      box.select();
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const next = grid.boxes[r + (event.key === "ArrowUp" ? -1 : 1)]?.[c];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  });
}

function show(grid, data, active) {
  // The server's view of the table (the learner's own numbers after an edit): every box shows
  // it but one the learner is typing in, and the names follow the learner's language.
  grid.values = data.values.map(row => row.slice());
  grid.table.setAttribute("aria-label", data.label);
  data.columns.forEach((name, c) => { grid.columnHeads[c].textContent = name; });
  data.rows.forEach((rowName, r) => {
    grid.rowHeads[r].textContent = rowName;
    data.columns.forEach((columnName, c) => {
      const box = grid.boxes[r][c];
      box.setAttribute("aria-label", `${data.label} ${rowName} ${columnName}`);
      const editing = box === active;
      if (editing && box.value !== box.dataset.before) return;  // being typed in
      box.value = shown(grid.values[r][c], grid.digits, editing);
      if (editing) box.dataset.before = box.value;
    });
  });
}

export default function ({ data, parentElement, setStateValue }) {
  // Called whenever the server sends the table: the same shape keeps the boxes (and the
  // learner's place in them), a new one builds a new table.
  let grid = parentElement.__rnnlabGrid;
  if (grid === undefined || grid.shape !== `${data.rows.length}x${data.columns.length}`) {
    grid = parentElement.__rnnlabGrid = build(parentElement, data, setStateValue);
  }
  show(grid, data, parentElement.activeElement ?? document.activeElement);
}
