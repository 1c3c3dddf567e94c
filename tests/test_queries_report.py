"""Example queries over the whole report (data/queries/66-… and 67-…), and the gallery as a whole:
every section of the report answers at least one example query.

The answers are the report's own names and numbers (data/source/…txt): the trainings of 六 and 七（二）
that state participants, and every 《》 or named publication of 五, 六 and 七.
"""
from __future__ import annotations

import pytest
from gallery import QUERIES, parts, run, text, value
from rdflib import URIRef

SECTIONS = {"一", "二", "三", "四", "五", "六", "七", "八"}


def test_trainings_ranked_by_participants_one_unit_at_a_time(store):
    rows = run(store, "66-trainings-ranked-by-participants-across-the-report.rq")
    got = [(text(r, "unitLabel"), value(r, "rank"), value(r, "value"), text(r, "statedAs"), text(r, "organizers"))
           for r in rows]
    assert got == [
        # 人次: 超过7,000人次 (黄埔), 1,000多人次 (市知识产权局), 620余人次 (南沙) — 七（二）
        ("人次", 1, 7000, "超过7,000人次", "黄埔区、广州开发区"),
        ("人次", 2, 1000, "1,000多人次", "广州市知识产权局"),
        ("人次", 3, 620, "620余人次", "南沙区"),
        # 名: 为220名学员颁发了结业证书 (黄埔), 60多名 (荔湾) — 六; never ranked with 人次
        ("名", 1, 220, None, "黄埔区、广州开发区"),
        ("名", 2, 60, "60多名", "荔湾区"),
    ]
    assert {text(r, "indicatorLabel") for r in rows if value(r, "value") == 220} == {"颁发结业证书的学员数"}


def test_publications_by_kind(store):
    rows = run(store, "67-publications-by-kind.rq")
    by_kind: dict[str, set[str]] = {}
    for r in rows:
        by_kind.setdefault(text(r, "kindLabel"), set()).add(text(r, "publicationLabel"))
    assert {k: len(v) for k, v in by_kind.items()} == {
        "书籍": 1, "公益广告": 1, "图解": 1, "文章": 1, "期刊": 1, "案例汇编": 2, "海报": 1, "画册": 1,
        "白皮书": 1, "视频": 8}
    assert by_kind["案例汇编"] == {"广州企业应对国际贸易救济典型案例汇编",
                                  "广州市工商局2017年“双打”专项行动十大典型案例"}
    row = {text(r, "publicationLabel"): r for r in rows}
    # 认真办好《知产法苑》院刊 (the court); 市商务委编印《…典型案例汇编》; 出版了《探路者…》一书 (the court)
    assert text(row["知产法苑"], "issuers") == "广州知识产权法院"
    assert text(row["广州企业应对国际贸易救济典型案例汇编"], "issuers") == "市商务委"
    assert text(row["探路者——媒体眼中的广州知识产权法院"], "issuers") == "广州知识产权法院"
    # 通过广州工商微信公众号发布《小明与商标的故事》系列图解: published on the account, no issuer named
    assert text(row["小明与商标的故事"], "accounts") == "广州工商微信公众号（广州市工商局）"
    assert text(row["小明与商标的故事"], "issuers") is None
    # 借助 “黄埔海关12360” “青青埔关”等微信公众号进行推送: the report names no operator for 青青埔关
    assert parts(row["4.26 知识产权保护，海关话你知"], "accounts", "、") == {
        "“黄埔海关12360”微信公众号（黄埔海关）", "“青青埔关”微信公众号"}
    assert text(row["4.26 知识产权保护，海关话你知"], "title") == "4.26 知识产权保护，海关话你知"


@pytest.fixture(scope="module")
def answered_sections(store) -> set[str]:
    """The top-level sections whose passages evidence some thing in the answer of some example query."""
    iris = {t for path in sorted(QUERIES.glob("*.rq")) for row in store.select(path.read_text(encoding="utf-8"))
            for t in row.values() if isinstance(t, URIRef) and t.startswith("https://ipgraph.example.org/id/")}
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    return {str(r["notation"]) for r in store.select(f"""
        PREFIX ipg: <https://ipgraph.example.org/def/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX report: <https://ipgraph.example.org/id/report/>
        SELECT DISTINCT ?notation WHERE {{
          VALUES ?thing {{ {values} }}
          {{ ?thing ipg:evidence ?passage }} UNION {{ ?thing a ipg:Passage . BIND(?thing AS ?passage) }}
          ?passage dcterms:isPartOf+ ?section .
          ?section dcterms:isPartOf report:guangzhou-2018 ; skos:notation ?notation }}""")}


def test_the_gallery_covers_every_section(answered_sections):
    assert answered_sections == SECTIONS
