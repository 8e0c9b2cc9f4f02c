// The department picker: a searchable combobox over the department tree. Names, places above them and
// pinyin initials all match ("sw" → 水务集团, "gljd" → 古楼街道); arrows, Enter and Escape work.
import {esc} from "./dom.js";

export class DepartmentPicker {
  constructor(input, list, departments, onChange = () => {}) {
    this.input = input;
    this.list = list;
    this.all = departments.filter((d) => d.active && d.kind !== "city");
    this.byCode = new Map(this.all.map((d) => [d.code, d]));
    this.onChange = onChange;
    this.code = null;
    this.active = -1;
    this.shown = [];
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.autocomplete = "off";
    list.setAttribute("role", "listbox");
    input.addEventListener("input", () => { this.code = null; this.open(); this.onChange(null); });
    input.addEventListener("focus", () => this.open());
    input.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== input) this.close(); }, 150));
    input.addEventListener("keydown", (e) => this.key(e));
    list.addEventListener("mousedown", (e) => {
      const item = e.target.closest("[data-code]");
      if (item) { e.preventDefault(); this.set(item.dataset.code); this.close(); }
    });
  }

  get value() { return this.code; }

  set(code) {
    const d = code ? this.byCode.get(code) : null;
    this.code = d ? d.code : null;
    this.input.value = d ? d.name : "";
    this.onChange(this.code);
  }

  matches(text) {
    const q = text.trim().toLowerCase();
    if (!q) return this.all.filter((d) => d.code === this.suggested || d.path.length <= 1).slice(0, 30);
    const score = (d) => d.short_initials.startsWith(q) || d.initials.startsWith(q) ? 0 : d.name.includes(text.trim()) ? 1
      : d.initials.includes(q) ? 2
      : d.path.some((p) => p.includes(text.trim())) ? 3 : 9;
    return this.all.map((d) => [score(d), d]).filter(([s]) => s < 9).sort((a, b) => a[0] - b[0]).map(([, d]) => d)
      .slice(0, 30);
  }

  open() {
    this.shown = this.matches(this.code ? "" : this.input.value);
    this.active = this.shown.length ? 0 : -1;
    this.list.innerHTML = this.shown.map((d, i) => `<li role="option" id="${esc(this.list.id)}-${i}" data-code="${esc(d.code)}"` +
      ` aria-selected="${i === this.active}">${esc(d.name)}${d.code === this.suggested ? " <em>（建议）</em>" : ""}` +
      `<small>${esc(d.path.slice(1).join(" › "))}</small></li>`).join("") || `<li class="muted" role="option" aria-disabled="true">没有匹配的单位</li>`;
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.mark();
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    if (!this.code && this.input.value && this.shown.length === 1) this.set(this.shown[0].code);
  }

  mark() {
    for (const [i, li] of [...this.list.querySelectorAll("[data-code]")].entries()) {
      li.setAttribute("aria-selected", String(i === this.active));
      if (i === this.active) { this.input.setAttribute("aria-activedescendant", li.id); li.scrollIntoView({block: "nearest"}); }
    }
  }

  key(e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (this.list.hidden) this.open();
      const n = this.shown.length;
      if (n) this.active = (this.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.mark();
    } else if (e.key === "Enter" && !this.list.hidden && this.active >= 0) {
      e.preventDefault();
      this.set(this.shown[this.active].code);
      this.close();
    } else if (e.key === "Escape") {
      this.close();
    }
  }
}
