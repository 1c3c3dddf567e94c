"""Synthetic graphs of the report's own shape, k times its size: a project folder per scale.

Scale ``k`` is the real data (copy 0, the files as they are) and ``k - 1`` copies standing for the
same report written for other cities and years. Each copy has the same classes, the same links
and the same value ranges:

* every IRI under ``{base}/id/`` gets a suffix of its copy (``…/observation/x`` → ``…/observation/x-c7``),
  except the shared vocabulary: indicators (``ind:``), units (``unit:``), concepts (``concept:``)
  and schemes (``scheme:``) are shared by every copy, as they would be by reports of other cities;
* periods (``period:``) are shared too, but a copy of another year points to that year's periods
  (``period:2018`` → ``period:2011``), which are written once per year, shifted from the real ones;
* labels, titles, definitions and notes (every ``@zh`` / ``@en`` literal) name the copy's city
  and years instead of 广州 / Guangzhou and 2018 (copy ``i`` is city ``i % 50``, year ``2018 - i // 50``);
* figures (``sdmx-measure:obsValue``) vary by up to ±25 % around the real value, keeping its
  type, its decimals and its sign (a percentage stays within 0–100); everything else stays;
* passages keep their quotes (``oa:exact``) and each copy its own ``ipg:ReportText`` node with the
  same checksum: the text is the same report, so every quote still anchors when the graph is built.

The copies are written as N-Triples lines in ``.ttl`` files (N-Triples is Turtle), a file per 25
copies, beside the real files in ``data/turtle/``; ``ontology/``, ``shapes/``, ``data/source/`` and
``data/queries/`` are copied as they are. Generation is deterministic (a seeded generator per copy).

    python bench/synth.py 10 [--out bench/.cache/scale-10/project]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://ipgraph.example.org"
ID = f"{BASE}/id/"
SHARED_KINDS = ("indicator", "unit", "concept", "scheme")
PERIOD = f"{ID}period/"
OBS_VALUE = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
UNIT_MEASURE = "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"
PERCENT = f"{ID}unit/percent"
XSD = "http://www.w3.org/2001/XMLSchema#"
COPIES_PER_FILE = 25
GENERATOR_VERSION = "1"  # bump when the output changes, so that cached folders are remade

# 50 cities (zh, en); copy i is CITIES[i % 50] in the year 2018 - i // 50, so up to 1,000 copies
# have a city and year each of their own. Copy 0 is the real report (Guangzhou, 2018).
CITIES = [
    ("广州", "Guangzhou"), ("深圳", "Shenzhen"), ("佛山", "Foshan"), ("东莞", "Dongguan"), ("珠海", "Zhuhai"),
    ("中山", "Zhongshan"), ("惠州", "Huizhou"), ("江门", "Jiangmen"), ("肇庆", "Zhaoqing"), ("汕头", "Shantou"),
    ("湛江", "Zhanjiang"), ("茂名", "Maoming"), ("韶关", "Shaoguan"), ("清远", "Qingyuan"), ("梅州", "Meizhou"),
    ("揭阳", "Jieyang"), ("潮州", "Chaozhou"), ("阳江", "Yangjiang"), ("云浮", "Yunfu"), ("河源", "Heyuan"),
    ("汕尾", "Shanwei"), ("杭州", "Hangzhou"), ("南京", "Nanjing"), ("苏州", "Suzhou"), ("宁波", "Ningbo"),
    ("厦门", "Xiamen"), ("福州", "Fuzhou"), ("武汉", "Wuhan"), ("长沙", "Changsha"), ("成都", "Chengdu"),
    ("重庆", "Chongqing"), ("西安", "Xi'an"), ("郑州", "Zhengzhou"), ("济南", "Jinan"), ("青岛", "Qingdao"),
    ("合肥", "Hefei"), ("南昌", "Nanchang"), ("南宁", "Nanning"), ("昆明", "Kunming"), ("贵阳", "Guiyang"),
    ("天津", "Tianjin"), ("沈阳", "Shenyang"), ("大连", "Dalian"), ("长春", "Changchun"), ("哈尔滨", "Harbin"),
    ("石家庄", "Shijiazhuang"), ("太原", "Taiyuan"), ("兰州", "Lanzhou"), ("海口", "Haikou"), ("无锡", "Wuxi"),
]
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def city_year(i: int) -> tuple[str, str, int]:
    """The city (zh, en) and the year of copy ``i``."""
    zh, en = CITIES[i % len(CITIES)]
    return zh, en, 2018 - i // len(CITIES)


def _shift_years(text: str, delta: int) -> str:
    return YEAR.sub(lambda m: str(int(m.group(1)) + delta), text) if delta else text


def relabel(text: str, i: int) -> str:
    """A label of the real report as copy ``i`` would have it.

    >>> relabel("2018年广州市专利申请量", 51)
    '2017年深圳市专利申请量'
    >>> relabel("Guangzhou patent applications, 2018", 0)
    'Guangzhou patent applications, 2018'
    """
    zh, en, year = city_year(i)
    if i % len(CITIES):
        text = text.replace("广州", zh).replace("Guangzhou", en)
    return _shift_years(text, year - 2018)


def vary(lexical: str, datatype: str, rng: random.Random, percent: bool) -> str:
    """A figure near ``lexical``, of the same type, decimals and sign.

    >>> vary("173124", XSD + "integer", random.Random(1), False)
    '141474'
    >>> vary("46.3", XSD + "decimal", random.Random(1), True)
    '37.8'
    """
    factor = 0.75 + rng.random() / 2
    if datatype == XSD + "integer":
        value = round(int(lexical) * factor)
        return str(min(value, 100) if percent and 0 <= int(lexical) <= 100 else value)
    if datatype == XSD + "decimal":
        real = Decimal(lexical)
        places = max(0, -real.as_tuple().exponent)  # type: ignore[operator]
        value = round(float(real) * factor, places)
        if percent and 0 <= real <= 100:
            value = min(value, 100.0)
        return f"{value:.{places}f}"
    return lexical  # owl:rational and the like: as stated


@dataclass
class Source:
    """The real data, parsed once, split into what every copy repeats and what they share."""

    files: list[Path]
    copied: list[tuple]          # (subject, predicate, object) as pyoxigraph terms
    periods: list[tuple]         # the period triples, written again for each other year
    percent_obs: set[str]        # observations measured in percent
    triples: int


def read_source(data_dir: Path) -> Source:
    files = sorted(data_dir.glob("*.ttl"))
    triples = [q.triple for f in files for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
    shared_subjects = {t.subject for t in triples if _shared(t.subject)}
    # blank nodes hang from the subject that points to them: shared with a shared subject
    shared_blanks: set = set()
    frontier = {t.object for t in triples if t.subject in shared_subjects and isinstance(t.object, ox.BlankNode)}
    while frontier:
        shared_blanks |= frontier
        frontier = {t.object for t in triples if t.subject in frontier and isinstance(t.object, ox.BlankNode)}
        frontier -= shared_blanks
    copied, periods = [], []
    for t in triples:
        if t.subject in shared_subjects or t.subject in shared_blanks:
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(PERIOD):
                periods.append(t)
            continue
        copied.append(t)
    percent = {t.subject.value for t in triples if t.predicate.value == UNIT_MEASURE and t.object.value == PERCENT}
    return Source(files, copied, periods, percent, len(triples))


def _shared(term) -> bool:
    if not isinstance(term, ox.NamedNode) or not term.value.startswith(ID):
        return isinstance(term, ox.NamedNode)  # vocabulary from elsewhere, /def/ terms
    kind = term.value[len(ID):].split("/", 1)[0]
    return kind in SHARED_KINDS or kind == "period"


class Copier:
    """Writes copy ``i`` of the copied triples as N-Triples lines."""

    def __init__(self, source: Source):
        self.source = source
        self._plans = [self._plan(t) for t in source.copied]

    @staticmethod
    def _plan(t) -> tuple:
        def term(x, role):
            if isinstance(x, ox.BlankNode):
                return ("blank", x.value)
            if isinstance(x, ox.NamedNode):
                if x.value.startswith(PERIOD):
                    return ("period", x.value)
                if x.value.startswith(ID) and not _shared(x):
                    return ("suffix", x.value)
                return ("fixed", str(x))
            if role == "object" and x.language:
                return ("label", x.value, x.language)
            if role == "object" and t.predicate.value == OBS_VALUE:
                return ("figure", x.value, x.datatype.value, t.subject.value)
            return ("fixed", str(x))

        return term(t.subject, "subject"), str(t.predicate), term(t.object, "object")

    def lines(self, i: int) -> list[str]:
        rng = random.Random(f"copy {i}")
        delta = city_year(i)[2] - 2018
        percent = self.source.percent_obs
        out = []

        def render(plan) -> str:
            kind = plan[0]
            if kind == "fixed":
                return plan[1]
            if kind == "suffix":
                return f"<{plan[1]}-c{i}>"
            if kind == "blank":
                return f"_:c{i}x{plan[1]}"
            if kind == "period":
                return f"<{_shift_years(plan[1], delta)}>"
            if kind == "label":
                return str(ox.Literal(relabel(plan[1], i), language=plan[2]))
            value = vary(plan[1], plan[2], rng, plan[3] in percent)
            return str(ox.Literal(value, datatype=ox.NamedNode(plan[2])))

        for s, p, o in self._plans:
            out.append(f"{render(s)} {p} {render(o)} .\n")
        return out

    def period_lines(self, delta: int) -> list[str]:
        """The periods of the real data, ``delta`` years away (their IRIs, years, dates and labels)."""
        out = []
        for t in self.source.periods:
            o = t.object
            if isinstance(o, ox.NamedNode):
                obj = f"<{_shift_years(o.value, delta)}>" if o.value.startswith(PERIOD) else str(o)
            elif isinstance(o, ox.Literal) and (o.language or o.datatype.value in (XSD + "date", XSD + "gYear")):
                obj = str(ox.Literal(_shift_years(o.value, delta), language=o.language)) if o.language else \
                    str(ox.Literal(_shift_years(o.value, delta), datatype=o.datatype))
            elif isinstance(o, ox.Literal) and t.predicate.value == f"{BASE}/def/year":
                obj = str(ox.Literal(str(int(o.value) + delta), datatype=o.datatype))
            else:
                obj = str(o)
            subject = _shift_years(t.subject.value, delta)
            out.append(f"<{subject}> {t.predicate} {obj} .\n")
        return out


def fingerprint(root: Path, scale: int) -> str:
    """What a generated folder depends on: the real files, this generator and the scale."""
    digest = hashlib.sha256(f"synth {GENERATOR_VERSION} scale {scale}\n".encode())
    digest.update(Path(__file__).read_bytes())
    for folder in ("ontology", "data/turtle", "data/source", "data/queries", "shapes"):
        for f in sorted((root / folder).glob("*")):
            if f.is_file():
                digest.update(f"{f.relative_to(root)}\n".encode())
                digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()[:16]


def generate(scale: int, out: Path, *, root: Path = ROOT, log=print) -> dict:
    """Write the project folder of ``scale`` to ``out`` (remade when the real data changed).

    Returns what was written: triples of the data (before anchoring), files, seconds taken.
    """
    if scale < 1:
        raise ValueError("the scale is a positive whole number")
    stamp = out / ".synth"
    mark = fingerprint(root, scale)
    if stamp.is_file() and stamp.read_text().split()[0] == mark:
        triples, seconds = stamp.read_text().split()[1:3]
        return {"scale": scale, "triples": int(triples), "seconds": float(seconds), "reused": True}
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "shapes", "data/source", "data/queries", "data/turtle"):
        shutil.copytree(root / folder, out / folder)
    source = read_source(root / "data" / "turtle")
    copier = Copier(source)
    written = source.triples
    deltas = sorted({city_year(i)[2] - 2018 for i in range(1, scale)} - {0})
    if deltas:
        with (out / "data" / "turtle" / "zz-synth-periods.ttl").open("w", encoding="utf-8") as f:
            f.write("# Generated by bench/synth.py: the real periods, shifted to the other copies' years.\n")
            for delta in deltas:
                lines = copier.period_lines(delta)
                f.writelines(lines)
                written += len(lines)
    for first in range(1, scale, COPIES_PER_FILE):
        last = min(scale - 1, first + COPIES_PER_FILE - 1)
        path = out / "data" / "turtle" / f"zz-synth-{first:04d}-{last:04d}.ttl"
        with path.open("w", encoding="utf-8") as f:
            f.write(f"# Generated by bench/synth.py: copies {first}-{last} of the real data.\n")
            for i in range(first, last + 1):
                lines = copier.lines(i)
                f.writelines(lines)
                written += len(lines)
    seconds = time.perf_counter() - started
    stamp.write_text(f"{mark} {written} {seconds:.3f}\n")
    log(f"scale {scale}: {written:,} data triples written to {out} in {seconds:.1f} s")
    return {"scale": scale, "triples": written, "seconds": seconds, "reused": False}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scale", type=int)
    ap.add_argument("--out", type=Path, default=None, help="folder to write (default bench/.cache/scale-K/project)")
    args = ap.parse_args()
    out = args.out or ROOT / "bench" / ".cache" / f"scale-{args.scale}" / "project"
    print(generate(args.scale, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
