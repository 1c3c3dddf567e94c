/* The query editor of /sparql, and sorting for every results table.
 *
 * The page works without this script: a textarea, a format list, a Run button and a table paged
 * on the server. With it, the textarea becomes CodeMirror (SPARQL highlighting; Ctrl/Cmd-Enter
 * runs), the site's prefixes are offered as you type (after PREFIX, or as a prefixed name, whose
 * PREFIX line is added when the query lacks it), the format list follows the form of the query
 * being edited, an example loads in place, copy buttons appear, and a click on a column head
 * sorts the rows of the page by that column.
 *
 * The functions on `helpers` read query text only; they are exported for tests under Node.
 */
(function () {
  "use strict";

  // Comments, strings and IRIs: hidden before looking for keywords and prefixed names.
  var HIDDEN = /#[^\n\r]*|'''[\s\S]*?'''|"""[\s\S]*?"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>/g;
  var DECLARED = /\bPREFIX\s+([A-Za-z][\w.-]*)?:/gi;
  var USED = /(^|[^\w?$:.-])([A-Za-z][\w-]*(?:\.[\w-]+)*):/g;

  var helpers = {
    /** The query with its comments, strings and IRIs blanked out. */
    bare: function (text) {
      return text.replace(HIDDEN, function (m) { return m.replace(/[^\n]/g, " "); });
    },

    /** SELECT, ASK, CONSTRUCT or DESCRIBE: the form of the query, or null. */
    queryForm: function (text) {
      var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(helpers.bare(text));
      return m ? m[1].toUpperCase() : null;
    },

    /** The prefixes the query declares. */
    declared: function (text) {
      var found = {}, m, bare = helpers.bare(text);
      DECLARED.lastIndex = 0;
      while ((m = DECLARED.exec(bare)) !== null) found[m[1] || ""] = true;
      return found;
    },

    /** The prefixes the query's prefixed names use without a PREFIX line, in order of use. */
    undeclared: function (text) {
      var declared = helpers.declared(text), seen = {}, missing = [], m;
      var bare = helpers.bare(text).replace(DECLARED, " ");
      USED.lastIndex = 0;
      while ((m = USED.exec(bare)) !== null) {
        var name = m[2];
        if (!declared[name] && !seen[name]) { seen[name] = true; missing.push(name); }
      }
      return missing;
    },

    /** Where the PREFIX line of `name` goes (after the last PREFIX or BASE line at the top) and
     *  the line itself; null when the query declares it already or the site does not know it. */
    prefixLine: function (text, name, prefixes) {
      if (!Object.prototype.hasOwnProperty.call(prefixes, name) || helpers.declared(text)[name]) return null;
      var lines = text.split("\n"), at = 0;
      for (var i = 0; i < lines.length; i++) {
        if (/^\s*(PREFIX|BASE)\b/i.test(lines[i])) at = i + 1;
        else if (/\S/.test(lines[i]) && !/^\s*#/.test(lines[i])) break;
      }
      return {line: at, text: "PREFIX " + name + ": <" + prefixes[name] + ">"};
    },

    /** The formats a query of `form` can be answered in. */
    formatsFor: function (form, formats) {
      if (!form) return [];
      return form === "CONSTRUCT" || form === "DESCRIBE" ? formats.graphs : formats.solutions;
    }
  };

  if (typeof module === "object" && module.exports) {
    module.exports = helpers;
    return;
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // -- sorting the rows of a results table by a column ------------------------------------------

  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortRows(table.tBodies[0], column, ascending);
      });
    });
  }

  function sortKey(cell) {
    if (!cell) return {empty: true};
    var number = cell.getAttribute("data-sort");
    if (number !== null && number !== "" && !isNaN(Number(number))) return {number: Number(number)};
    var text = cell.textContent.trim();
    return text ? {text: text} : {empty: true};
  }

  function compare(a, b) {
    if (a.empty || b.empty) return a.empty && b.empty ? 0 : a.empty ? 1 : -1;
    if ("number" in a && "number" in b) return a.number - b.number;
    if ("number" in a) return -1;
    if ("number" in b) return 1;
    return a.text.localeCompare(b.text, "zh");
  }

  function sortRows(body, column, ascending) {
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return {row: row, key: sortKey(row.cells[column]), i: i};
    });
    rows.sort(function (x, y) {
      var c = compare(x.key, y.key);
      if (!ascending && !x.key.empty && !y.key.empty) c = -c;
      return c || x.i - y.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  // -- copy buttons --------------------------------------------------------------------------------

  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = "value" in target ? target.value : target.textContent;
        var done = function () { button.textContent = "已复制 Copied"; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done);
        } else if ("select" in target) {
          target.select();
          if (document.execCommand("copy")) done();
        }
      });
    });
  }

  // -- the editor ----------------------------------------------------------------------------------

  function editor(config) {
    var textarea = document.getElementById("query");
    if (!textarea || typeof CodeMirror === "undefined") return;
    var prefixes = config.prefixes, names = Object.keys(prefixes).sort();
    var cm = CodeMirror.fromTextArea(textarea, {
      mode: "sparql", lineNumbers: true, lineWrapping: true, indentUnit: 2, viewportMargin: Infinity,
      extraKeys: {
        "Ctrl-Space": function () { complete(true); },
        "Ctrl-Enter": run, "Cmd-Enter": run
      }
    });

    function run() {
      cm.save();
      var form = textarea.form;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }

    function declare(name) {
      var place = helpers.prefixLine(cm.getValue(), name, prefixes);
      if (place) cm.replaceRange(place.text + "\n", CodeMirror.Pos(place.line, 0));
    }

    function hints() {
      var cur = cm.getCursor(), line = cm.getLine(cur.line), start = cur.ch;
      while (start > 0 && /[\w.-]/.test(line.charAt(start - 1))) start--;
      var word = line.slice(start, cur.ch).toLowerCase();
      var afterKeyword = /\bPREFIX\s+$/i.test(line.slice(0, start));
      var list = names.filter(function (p) { return p.toLowerCase().indexOf(word) === 0; }).map(function (p) {
        if (afterKeyword) return {text: p + ": <" + prefixes[p] + ">", displayText: p + ": <" + prefixes[p] + ">"};
        return {
          text: p + ":", displayText: p + ":  " + prefixes[p],
          hint: function (cm, data, item) {
            cm.replaceRange(item.text, data.from, data.to);
            declare(p);
          }
        };
      });
      return {list: list, from: CodeMirror.Pos(cur.line, start), to: CodeMirror.Pos(cur.line, cur.ch)};
    }

    function complete(asked) {
      var cur = cm.getCursor(), token = cm.getTokenAt(cur);
      if (!asked && /variable-2|string|comment|atom/.test(token.type || "")) return;
      if (!asked && /[?$]\w*$/.test(cm.getLine(cur.line).slice(0, cur.ch))) return;
      cm.showHint({hint: hints, completeSingle: false});
    }

    cm.on("inputRead", function (cm, change) {
      var typed = change.text.join("");
      if (typed === ":") {
        var line = cm.getLine(change.from.line).slice(0, change.from.ch);
        var m = /(^|[^\w?$:.-])([A-Za-z][\w.-]*)$/.exec(line);
        if (m && !/\bPREFIX\s+\S*$/i.test(line)) declare(m[2]);
      } else if (/^[A-Za-z]$/.test(typed) && !cm.state.completionActive) {
        complete(false);
      }
    });

    var formatSelect = document.getElementById("format"), shownForm = helpers.queryForm(cm.getValue());
    function followForm() {
      var form = helpers.queryForm(cm.getValue());
      if (!formatSelect || form === shownForm) return;
      shownForm = form;
      var chosen = formatSelect.value;
      while (formatSelect.options.length > 1) formatSelect.remove(1);
      helpers.formatsFor(form, config.formats).forEach(function (key) {
        formatSelect.add(new Option(key, key, false, key === chosen));
      });
    }
    var pending = null;
    cm.on("change", function () {
      clearTimeout(pending);
      pending = setTimeout(followForm, 300);
    });

    var examples = document.getElementById("example");
    if (examples && config.examples) {
      var load = function () {
        fetch(config.examples + "/" + encodeURIComponent(examples.value) + ".rq")
          .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
          .then(function (text) { cm.setValue(text); cm.focus(); followForm(); });
      };
      examples.addEventListener("change", load);
      examples.form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
    }

    var at = document.querySelector(".error pre.at[data-line]");
    if (at) {
      var n = Number(at.getAttribute("data-line")) - 1;
      if (n >= 0 && n < cm.lineCount()) cm.addLineClass(n, "background", "error-line");
    }
  }

  ready(function () {
    var node = document.getElementById("editor-config");
    if (node) editor(JSON.parse(node.textContent));
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
    copyButtons();
  });
})();
