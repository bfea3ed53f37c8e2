"""The site's one stylesheet and its one script (search), as text: nothing is fetched from
anywhere, so the site works from ``file://`` and under any sub-path.

Colours meet WCAG AA (4.5:1 for text): a light is a badge with its word (红/黄/绿/灰) on a
background dark or light enough for it. Below 600 px a table's rows become blocks, each cell
labelled by its header, so a 375 px screen needs no horizontal scrolling. Print: A4, no row
split across pages, no navigation.
"""

from __future__ import annotations

STYLE = """\
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: #1a1a1a; background: #fff; line-height: 1.55;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", sans-serif;
  overflow-wrap: anywhere; }
a { color: #0b4f9c; }
a:focus, button:focus, input:focus { outline: 3px solid #c25400; outline-offset: 1px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
header.site { background: #7a1212; color: #fff; padding: 8px 16px; }
header.site a { color: #fff; }
header.site nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 4px 18px; }
header.site .brand { font-weight: 700; margin: 0 0 4px; }
#search { margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px; }
#search[hidden] { display: none; }
#search input { flex: 1 1 12em; min-width: 0; font: inherit; padding: 4px 6px;
  border: 1px solid #555; border-radius: 3px; }
#search-results { background: #fff; color: #1a1a1a; margin: 6px 0 0; padding: 0 0 0 1.2em; }
#search-results a { color: #0b4f9c; }
main { max-width: 1100px; margin: 0 auto; padding: 12px 16px 32px; }
h1 { font-size: 1.5rem; margin: 8px 0 4px; }
h2 { font-size: 1.2rem; margin: 28px 0 8px; border-bottom: 2px solid #7a1212;
  padding-bottom: 2px; }
p.sub, p.note, footer { color: #4a4a4a; font-size: 0.9rem; }
footer { max-width: 1100px; margin: 0 auto; padding: 8px 16px 24px; border-top: 1px solid #ccc; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5em, 1fr));
  gap: 8px; margin: 8px 0; }
dl.figures div { border: 1px solid #bbb; border-radius: 4px; padding: 6px 10px; }
dl.figures dt { font-size: 0.85rem; color: #4a4a4a; }
dl.figures dd { margin: 0; font-size: 1.4rem; font-weight: 700; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 0.92rem; }
caption { text-align: left; font-weight: 700; padding: 4px 0; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #ececec; }
td.num { text-align: right; white-space: nowrap; }
td.nb { white-space: nowrap; }
.light { display: inline-block; border-radius: 3px; padding: 0 6px; font-weight: 700;
  white-space: nowrap; }
.light.red { background: #b3261e; color: #fff; }
.light.yellow { background: #ffd54f; color: #1a1a1a; }
.light.green { background: #1b5e20; color: #fff; }
.light.dim { background: #e0e0e0; color: #333; }
.chart svg { width: 100%; height: auto; max-width: 720px; display: block; }
.chart .axis { stroke: #555; stroke-width: 1; }
.chart .grid { stroke: #ccc; stroke-width: 1; }
.chart .done { fill: none; stroke: #1b5e20; stroke-width: 3; }
.chart .expected { fill: none; stroke: #1a1a1a; stroke-width: 2; stroke-dasharray: 6 4; }
.chart text { font-size: 12px; fill: #1a1a1a; }
ul.plain { padding-left: 1.2em; }
@media screen and (max-width: 600px) {
  main { padding: 8px 10px 24px; }
  table.rows, table.rows tbody, table.rows tr { display: block; width: 100%; }
  table.rows caption { display: block; }
  table.rows thead { position: absolute; left: -9999px; }
  table.rows tr { border: 1px solid #999; border-radius: 4px; margin: 0 0 8px;
    padding: 4px 6px; }
  table.rows td { display: inline-block; border: 0; padding: 1px 10px 1px 0;
    text-align: left; white-space: normal; }
  table.rows td:first-child, table.rows td.wide { display: block; font-weight: 700; }
  table.rows td::before { content: attr(data-label) "："; font-weight: 400; color: #4a4a4a; }
  table.rows td:first-child::before { content: none; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 6px; }
}
@media print {
  @page { size: A4; margin: 15mm 12mm; }
  header.site nav, #search, .skip { display: none; }
  header.site { background: none; color: #000; padding: 0; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  a { color: #000; text-decoration: none; }
  thead { display: table-header-group; }
  tr, dl.figures div, .chart { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .light { border: 1px solid #000; }
}
"""

# The index of the search is another script file (search-index.js, `reformctlIndex = [...]`),
# read when the box is first used: a <script> element works from file://, where fetch() does
# not. Without scripts the box stays hidden and every page is reached by links.
SCRIPT = """\
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) { return; }
  var root = form.getAttribute("data-root") || "";
  var input = form.querySelector("input");
  var list = document.getElementById("search-results");
  var loading = false;
  form.hidden = false;
  function load(then) {
    if (window.reformctlIndex) { then(); return; }
    if (loading) { return; }
    loading = true;
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = then;
    document.head.appendChild(s);
  }
  function show() {
    var q = input.value.trim().toLowerCase();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q || !window.reformctlIndex) { return; }
    var n = 0;
    for (var i = 0; i < window.reformctlIndex.length && n < 50; i++) {
      var e = window.reformctlIndex[i];
      if ((e[1] + " " + e[2]).toLowerCase().indexOf(q) < 0) { continue; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e[0];
      a.textContent = e[1] + " " + e[2];
      li.appendChild(a);
      list.appendChild(li);
      n++;
    }
  }
  input.addEventListener("focus", function () { load(show); });
  input.addEventListener("input", function () { load(show); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); load(show); });
})();
"""
