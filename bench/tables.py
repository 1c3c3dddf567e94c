"""The markdown of the results: a file per scale, the targets checked, and the growth table.

    python bench/tables.py            # rewrite bench/results/*.md from the JSON files there
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ENGINES = ("ipgraph", "ipgraph-nocache", "oxigraph", "rdflib-endpoint")
SITES = ("ipgraph", "ipgraph-nocache")
PEERS = ("oxigraph", "rdflib-endpoint")
PEER_OP = {"class-page": "class-list"}  # what the peers answer in place of a page of the site's own
MIB = 2**20


def load_results(folder: Path = RESULTS) -> list[dict]:
    found = [json.loads(f.read_text()) for f in folder.glob("scale-*x.json")]
    return sorted(found, key=lambda r: r["scale"])


def cell(result: dict, engine: str, op: str, connections: int) -> dict | None:
    by_engine = result.get("ops_by_engine", {}).get(engine, {})
    if engine not in SITES:
        op = PEER_OP.get(op, op)
    return by_engine.get(op, {}).get("cells", {}).get(str(connections))


def _rps(c: dict | None) -> str:
    if c is None:
        return "—"
    if c["ok"] == 0 and c["errors"] == 0:
        return f"0 (no answer in {c['duration_s']:.0f} s)"
    text = f"{c['rps']:,.1f}" if c["rps"] < 100 else f"{c['rps']:,.0f}"
    if c.get("estimated"):
        text = f"~{text}†"
    if c["errors"]:
        text += f" ({c['errors']:,} err)"
    return text


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(a: dict | None, b: dict | None) -> str:
    if a is None or b is None:
        return "—"
    if b["rps"] == 0:
        return "∞" if a["rps"] > 0 else "—"
    return f"{a['rps'] / b['rps']:.2f}×"


def ratio(a: dict | None, b: dict | None) -> float | None:
    if a is None or b is None:
        return None
    if b["rps"] == 0:
        return float("inf") if a["rps"] > 0 else None
    return a["rps"] / b["rps"]


def _engines_run(result: dict) -> list[str]:
    return [e for e in ENGINES if e in result.get("ops_by_engine", {})]


def mix_table(result: dict, connections: int) -> list[str]:
    """req/s, p50 and p99 of every engine for every operation, at ``connections``."""
    engines = _engines_run(result)
    head = ["operation"]
    for e in engines:
        head += [f"{e} req/s", "p50 ms", "p99 ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|"]
    for op in result["mix"]:
        row = [op["title"]]
        for e in engines:
            c = cell(result, e, op["name"], connections) if (e in SITES or op["name"] != "floor") else None
            row += [_rps(c), _latency(c, 50, result), _latency(c, 99, result)]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _latency(c: dict | None, p: int, result: dict) -> str:
    """A percentile of the latency; past the time-out when more than the rest of the answers were late."""
    if c is None:
        return "—"
    late, answers = c.get("timeouts", 0), c["ok"] + c["errors"]
    if answers == 0:
        return "—"
    if late / answers > 1 - p / 100:
        return f"> {result['timeout_s'] * 1000:,.0f}"
    return _ms(c[f"p{p}_ms"])


def ratio_table(result: dict, connections: int) -> list[str]:
    """The site's req/s divided by each peer's and by its own floor's, at ``connections``."""
    engines = _engines_run(result)
    peers = [e for e in PEERS if e in engines]
    sites = [e for e in SITES if e in engines]
    head = ["operation"] + [f"{s} ÷ {p}" for s in sites for p in [*peers, "its floor"]]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|"]
    for op in result["mix"]:
        if op["name"] == "floor":
            continue
        row = [op["title"]]
        for site in sites:
            mine = cell(result, site, op["name"], connections)
            row += [_ratio(mine, cell(result, p, op["name"], connections)) for p in peers]
            row.append(_ratio(mine, cell(result, site, "floor", connections)))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def cold_table(result: dict) -> list[str]:
    engines = _engines_run(result)
    head = ["operation"] + [f"{e} ms" for e in engines] + ["answer: " + " / ".join(engines)]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["--:"] * len(engines) + ["---"]) + "|"]
    for op in result["mix"]:
        row, answers = [op["title"]], []
        for e in engines:
            name = op["name"] if e in SITES else PEER_OP.get(op["name"], op["name"])
            entry = result["ops_by_engine"][e].get(name)
            if op["name"] == "floor" and e not in SITES:
                entry = None
            row.append(_ms(entry["cold_ms"]) if entry else "—")
            answers.append(entry["answer"] if entry else "—")
        row.append(" / ".join(answers))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def servers_table(result: dict) -> list[str]:
    lines = ["| server | load (s) | cold start to first answer (s) | peak RSS (MiB) | peak PSS (MiB) "
             "| CPU of other processes meanwhile | notes |",
             "|---|--:|--:|--:|--:|--:|---|"]
    names = {"ipgraph": "`ipgraph serve` (default workers)",
             "ipgraph-nocache": "`ipgraph serve` (default workers), caches off",
             "oxigraph": "`oxigraph serve-read-only`",
             "rdflib-endpoint": "`rdflib-endpoint serve`"}
    for e in ENGINES:
        info = result["engines"].get(e)
        if info is None:
            continue
        load = "—" if info["load_s"] is None else f"{info['load_s']:.1f}"
        if e in SITES:
            load += " (`ipgraph build`)"
        elif e == "oxigraph":
            load += " (`oxigraph load`)"
        else:
            load = "at every start"
        start = "—" if info["cold_start_s"] is None else f"{info['cold_start_s']:.2f}"
        rss = f"{info['peak_rss'] / MIB:,.0f}" if info["peak_rss"] else "—"
        pss = f"{info['peak_pss'] / MIB:,.0f}" if info["peak_pss"] else "—"
        lines.append(f"| {names[e]} | {load} | {start} | {rss} | {pss} | {_others(info, result)} "
                     f"| {'; '.join(info['notes'])} |")
    return lines


def _share(info: dict, result: dict) -> float | None:
    """How much of the machine other processes took while a server was measured (0 to 1)."""
    if not info.get("wall_s"):
        return None
    return info["others_cpu_s"] / (info["wall_s"] * (result["versions"].get("cpus") or 1))


def _others(info: dict, result: dict) -> str:
    share = _share(info, result)
    return "—" if share is None else f"{info['others_cpu_s']:.0f} s ({share:.0%})"


def targets(result: dict) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met?) for this scale; None where it cannot be told."""
    out: list[tuple[str, str, bool | None]] = []
    scale = result["scale"]
    ran = _engines_run(result)

    def site(op: str, c: int) -> dict | None:
        return cell(result, "ipgraph", op, c)

    for c in result["connections"]:
        r = ratio(site("entity-html", c), site("floor", c))
        out.append((f"entity HTML page ≥ 0.8× the floor, {c} conn.", _x(r), None if r is None else r >= 0.8))
    page16 = site("entity-html", 16)
    if page16:
        ok = page16["p99_ms"] < 25 and not page16["errors"]
        out.append(("entity HTML page p99 < 25 ms at 16 conn.", f"{page16['p99_ms']:.1f} ms", ok))
    for name, tag in (("ipgraph", ""), ("ipgraph-nocache", " (caches off; for information)")):
        if "oxigraph" not in ran or name not in ran:
            continue
        for c in result["connections"]:
            r = ratio(cell(result, name, "describe", c), cell(result, "oxigraph", "describe", c))
            out.append((f"DESCRIBE ≥ 0.5× oxigraph, {c} conn.{tag}", _x(r), None if r is None else r >= 0.5))
        for op in ("class-page", "class-list", "join", "search", "site-search-1", "site-search-2", "facet-page"):
            for c in result["connections"]:
                r = ratio(cell(result, name, op, c), cell(result, "oxigraph", op, c))
                out.append((f"{op} ≥ 1× oxigraph warm, {c} conn.{tag}", _x(r), None if r is None else r >= 1.0))
    if "rdflib-endpoint" in ran:
        worst: tuple[float, str] | None = None
        for op in result["mix"]:
            if op["name"] == "floor":
                continue
            for c in result["connections"]:
                r = ratio(site(op["name"], c), cell(result, "rdflib-endpoint", op["name"], c))
                if r is not None and (worst is None or r < worst[0]):
                    worst = (r, f"{op['name']}, {c} conn.")
        if worst:
            out.append(("every query of the mix ≥ 20× rdflib-endpoint", f"lowest {_x(worst[0])} ({worst[1]})",
                        worst[0] >= 20))
    limit = {1: 1.0, 100: 5.0}.get(scale)
    start = result["engines"].get("ipgraph", {}).get("cold_start_s")
    if limit is not None and start is not None:
        out.append((f"cold start to first answer < {limit:g} s at {scale}×", f"{start:.2f} s", start < limit))
    if scale == 100:
        info = result["engines"]["ipgraph"]
        out.append(("peak memory < 1 GB at 100× (default workers), RSS summed over the processes",
                    f"{info['peak_rss'] / 1e9:.2f} GB", info["peak_rss"] < 1e9))
        if info["peak_pss"]:
            out.append(("peak memory < 1 GB at 100× (default workers), PSS (shared pages counted once)",
                        f"{info['peak_pss'] / 1e9:.2f} GB", info["peak_pss"] < 1e9))
    if scale >= 1000:
        failed = []
        for op in result["mix"]:
            entry = result["ops_by_engine"]["ipgraph"].get(op["name"], {})
            if entry.get("cold_status") not in (200, 404) or any(
                    c["errors"] for c in entry.get("cells", {}).values()):
                failed.append(op["name"])
        out.append(("every query of the mix answers within its limit at 1,000×",
                    "all answered" if not failed else "errors: " + ", ".join(failed), not failed))
    return out


def _x(r: float | None) -> str:
    if r is None:
        return "—"
    return "∞" if r == float("inf") else f"{r:.2f}×"


def _busy_warning(result: dict) -> list[str]:
    busy = [(e, _share(info, result)) for e, info in result["engines"].items()]
    busy = [(e, share) for e, share in busy if share is not None and share > 0.05]
    if not busy:
        return []
    which = ", ".join(f"{e} {share:.0%}" for e, share in busy)
    return [f"**The machine was not idle**: other processes took part of its CPUs while servers were measured "
            f"({which}); these figures are noisier and lower than an idle machine's.", ""]


def scale_markdown(result: dict) -> str:
    v = result["versions"]
    g = result["generated"]
    copies = result["scale"] - 1
    took = "" if g.get("reused") else f" in {g['seconds']:.1f} s"
    lines = [
        f"# Scale {result['scale']:,}×: {result['triples']:,} triples",
        "",
        f"One run of `bench/servers.py`, {result['date']}, on {v['cpus']} CPUs and {v['memory_gib']} GiB: "
        f"ipgraph {v['ipgraph']} (commit {v['commit']}, granian {v['granian']}), oxigraph {v['oxigraph']}, "
        f"rdflib-endpoint {v['rdflib-endpoint']} (rdflib {v['rdflib']}), Python {v['python']}. "
        f"Load: {v['loadgen']}, {result['seconds']:g} s a cell, closed loop; an answer slower than "
        f"{result['timeout_s']:g} s or with another status counts as an error. "
        f"Data: the report{f' and {copies:,} copies for other cities and years' if copies else ''} "
        f"(`bench/synth.py`, {g['triples']:,} triples written"
        f"{took}),"
        f" anchored and built by `ipgraph build --no-validate` in {result['build_s']:.1f} s "
        f"(peak RSS {result['build_peak_rss'] / MIB:,.0f} MiB).",
        "",
        *_busy_warning(result),
        "## Servers",
        "",
        *servers_table(result),
        "",
    ]
    for c in result["connections"]:
        plural = "s" if c > 1 else ""
        lines += [f"## The mix, warm, {c} connection{plural}", "", *mix_table(result, c), "",
                  f"Ratios of req/s, {c} connection{plural}:", "", *ratio_table(result, c), ""]
    lines += ["## Cold: the first request of each operation after the start", "", *cold_table(result), "",
              "## Targets", "", "| target | measured | met |", "|---|--:|:-:|"]
    for target, measured, met in targets(result):
        lines.append(f"| {target} | {measured} | {'—' if met is None else 'yes' if met else '**no**'} |")
    lines += ["", "req/s counts answers with the expected status only; p50 and p99 are over every answer. "
              "† one request took longer than a cell: not loaded, req/s is 1 ÷ that request's time. "
              "The peers answer the class page with the class-list query. "
              "Method: [docs/benchmarks.md](../../docs/benchmarks.md).", ""]
    return "\n".join(lines)


def growth_markdown(results: list[dict]) -> str:
    """How each operation's cost grows with the data: ms per answer at 1 connection, per scale."""
    lines = ["# Growth: cost per answer against the size of the data", "",
             "Milliseconds per answer at 1 connection (the cell's duration ÷ its answers), from the latest "
             "run at each scale in this folder; *step* is the largest growth of that cost from one scale to "
             "the next divided by the growth of the data, so ≤ 1 is no worse than linear. With its caches on, "
             "the site answers a repeated request from its cache, so that cost stays flat; what the data costs "
             "is in the rows of `ipgraph-nocache`. The rotating entity pages are cache hits at 1× (fewer "
             "entities than the cache holds) and misses above, so their step there measures the cache, not the "
             "data. A sort of every member (the class-list query) costs n log n and can only be a little worse "
             "than linear without an index. Costs under a millisecond are within the noise.", ""]
    if not results:
        return "\n".join(lines + ["No results yet.", ""])
    scales = [r["scale"] for r in results]
    triples = {r["scale"]: r["triples"] for r in results}
    lines += ["| scale | " + " | ".join(f"{s:,}×" for s in scales) + " |",
              "|---|" + "--:|" * len(scales),
              "| triples | " + " | ".join(f"{triples[s]:,}" for s in scales) + " |",
              "| run | " + " | ".join(r["date"] for r in results) + " |", ""]
    ops = []
    for r in results:
        for op in r["mix"]:
            if op["name"] not in [o["name"] for o in ops]:
                ops.append(op)
    for engine in ENGINES:
        if not any(engine in r.get("ops_by_engine", {}) for r in results):
            continue
        lines += [f"## {engine}", "", "| operation | " + " | ".join(f"{s:,}×" for s in scales) + " | step | |",
                  "|---|" + "--:|" * len(scales) + "--:|:-:|"]
        for op in ops:
            if engine != "ipgraph" and op["name"] == "floor":
                continue
            costs = []
            for r in results:
                c = cell(r, engine, op["name"], 1)
                costs.append(None if c is None or c["ok"] == 0 else c["duration_s"] * 1000 / c["ok"])
            worst = None
            known = [(s, c) for s, c in zip(scales, costs, strict=True) if c is not None]
            for (s1, c1), (s2, c2) in zip(known, known[1:], strict=False):
                step = (c2 / c1) / (triples[s2] / triples[s1])
                worst = step if worst is None else max(worst, step)
            verdict = "" if worst is None else ("≤ linear" if worst <= 1.0 else "**worse than linear**")
            lines.append(f"| {op['name']} | " + " | ".join(_ms(c) for c in costs)
                         + f" | {'—' if worst is None else f'{worst:.2f}'} | {verdict} |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    results = load_results()
    for r in results:
        (RESULTS / f"scale-{r['scale']}x.md").write_text(scale_markdown(r))
    (RESULTS / "growth.md").write_text(growth_markdown(results))
    print(f"rewrote {len(results)} scale file(s) and growth.md in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
