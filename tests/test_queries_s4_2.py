"""The example queries of section 四（二）刑事司法保护 (data/queries/35-… to 39-…) answer with the report's numbers.

Each test runs one query file through the `store` fixture (tests/conftest.py). The expected values
are copied from the report, section 四（二） (data/source/guangzhou-ip-report-2018.zh.txt, lines 86–92):
the police, the procuratorates and the courts at each stage of criminal justice, offence by offence,
and the Guangzhou IP Court's caseload by case type.
"""
from __future__ import annotations

from decimal import Decimal

from gallery import ID, run, text, value

TM = "假冒注册商标罪"
SELL = "销售假冒注册商标的商品罪"
REP = "非法制造、销售非法制造的注册商标标识罪"  # the courts write 标志罪: the same concept, an altLabel
CR = "侵犯著作权罪"
TS = "侵犯商业秘密罪"


def test_offences_ranked_by_persons_at_review_for_prosecution(store):
    rows = run(store, "35-offences-ranked-by-persons-at-review-for-prosecution.rq")
    got = [(text(r, "offenceLabel"), text(r, "subjectLabel"), value(r, "persons"), value(r, "cases")) for r in rows]
    # line 89: 其中假冒注册商标罪306件596人，销售假冒注册商标的商品罪306件493人，…标识罪48件86人，
    # 侵犯著作权罪8件10人，侵犯商业秘密罪4件4人 — most persons first
    assert got == [
        (TM, "广州市检察机关", 596, 306),
        (SELL, "广州市检察机关", 493, 306),
        (REP, "广州市检察机关", 86, 48),
        (CR, "广州市检察机关", 10, 8),
        (TS, "广州市检察机关", 4, 4),
    ]
    assert text(rows[0], "offenceLabelEn") == "counterfeiting a registered trademark"


def test_cases_by_offence_at_review_for_arrest_beside_review_for_prosecution(store):
    rows = run(store, "36-cases-by-offence-review-for-arrest-and-prosecution.rq")
    got = [(text(r, "offenceLabel"), value(r, "arrestCases"), value(r, "prosecutionCases"), text(r, "unitLabel"))
           for r in rows]
    # the two offences with 306 cases at review for prosecution are ordered by their cases at review for arrest;
    # 生产、销售伪劣产品罪 has figures at the courts only, so it is not here
    assert got == [
        (SELL, 320, 306, "件"),
        (TM, 272, 306, "件"),
        (REP, 46, 48, "件"),
        (CR, 4, 8, "件"),
        (TS, 2, 4, "件"),
    ]


def test_persons_summed_over_offences_beside_the_reported_total(store):
    rows = run(store, "37-persons-across-offences-beside-reported-total.rq")
    got = [(value(r, "order"), text(r, "stageLabel"), text(r, "subjectLabel"), value(r, "offences"),
            value(r, "personsSummed"), value(r, "personsReported"), value(r, "casesSummed"), value(r, "casesReported"))
           for r in rows]
    assert got == [
        # 644件1,168人: the five offences add up to the total
        (5, "审查逮捕", "广州市检察机关", 5, 554 + 523 + 82 + 7 + 2, 1168, 272 + 320 + 46 + 4 + 2, 644),
        # 672件1,189人: so do they here
        (6, "审查起诉", "广州市检察机关", 5, 596 + 493 + 86 + 10 + 4, 1189, 306 + 306 + 48 + 8 + 4, 672),
        # 791件1,425人 concluded; the report lists the main offences (主要罪名) only: 1,244 persons, 696 cases
        (8, "法院审结", "全市两级法院", 5, 631 + 444 + 43 + 39 + 87, 1425, 310 + 294 + 41 + 9 + 42, 791),
    ]
    assert got[2][4] == 1244 and got[2][6] == 696


def test_no_sum_is_stored(store):
    """The sums of the query above are the query's own: no observation holds them."""
    rows = store.select("""PREFIX ipg: <https://ipgraph.example.org/def/>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?obs WHERE { ?obs ipg:indicator/ipg:stage ?stage ; sdmx-measure:obsValue ?v .
                            FILTER(?v IN (1244, 696)) }""")
    assert rows == []


def test_the_criminal_funnel_stage_by_stage(store):
    rows = run(store, "38-criminal-funnel-stage-by-stage.rq")
    got = [(value(r, "order"), text(r, "stageLabel"), text(r, "bodyLabel"),
            value(r, "cases"), text(r, "casesUnitLabel"), value(r, "persons")) for r in rows]
    assert got == [
        (1, "立案", "全市公安机关", 1253, "宗", None),
        (2, "破案", "全市公安机关", 1128, "宗", None),
        (3, "刑事拘留", "全市公安机关", None, None, 2074),
        (4, "逮捕", "全市公安机关", None, None, 1245),
        (5, "审查逮捕", "广州市检察机关", 644, "件", 1168),
        (6, "审查起诉", "广州市检察机关", 672, "件", 1189),
        (7, "法院受理", "全市两级法院", 810, "件", 1473),
        (8, "法院审结", "全市两级法院", 791, "件", 1425),
    ]
    assert [text(r, "stageLabelEn") for r in rows][-2:] == ["accepted by a court", "concluded by a court"]


def test_the_unlabelled_court_pair_is_concluded_with_a_comment(store):
    rows = store.select("""PREFIX ipg: <https://ipgraph.example.org/def/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX concept: <https://ipgraph.example.org/id/concept/>
        SELECT ?v ?stage ?comment WHERE {
          ?obs sdmx-measure:obsValue ?v ; ipg:indicator/ipg:stage ?stage ; ipg:category concept:total ;
               rdfs:comment ?comment .
          FILTER(?v IN (791, 1425)) }""")
    assert {(value(r, "v"), text(r, "stage")) for r in rows} == {
        (791, ID + "concept/stage-trial-concluded"), (1425, ID + "concept/stage-trial-concluded")}
    assert all("unlabelled" in text(r, "comment") and "审结" in text(r, "comment") for r in rows)


def test_ip_court_caseload_by_case_type(store):
    rows = run(store, "39-ip-court-caseload-by-case-type.rq")
    got = [(text(r, "category").removeprefix(ID + "concept/"), text(r, "categoryLabel"), value(r, "accepted"),
            value(r, "acceptedGrowthPercent"), value(r, "concluded"), value(r, "concludedGrowthPercent"),
            text(r, "unitLabel")) for r in rows]
    # line 92: 受理各类案件10,086 件，办结8,202件，同比分别增长9.46 ％和 5.09％; 分别为3,642件、675件和5,248件,
    # 办结数分别为3,620件、499件和3,766件
    assert got == [
        ("total", "合计", 10086, Decimal("9.46"), 8202, Decimal("5.09"), "件"),
        ("case-type-copyright", "著作权案件", 5248, None, 3766, None, "件"),
        ("case-type-patent", "专利案件", 3642, None, 3620, None, "件"),
        ("case-type-trademark", "商标案件", 675, None, 499, None, "件"),
    ]


def test_the_police_bureau_campaign_and_its_cluster_campaigns(store):
    rows = store.select("""PREFIX ipg: <https://ipgraph.example.org/def/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX ind: <https://ipgraph.example.org/id/indicator/>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
        SELECT ?campaignLabel ?bodyLabel ?launched ?unit WHERE {
          ?campaign a ipg:Campaign ; skos:prefLabel ?campaignLabel ; prov:wasAssociatedWith ?body .
          FILTER(lang(?campaignLabel) = "zh" && CONTAINS(?campaignLabel, "云端"))
          ?body skos:prefLabel ?bodyLabel . FILTER(lang(?bodyLabel) = "zh")
          ?obs ipg:indicator ind:nationwide-anti-counterfeiting-cluster-campaigns-launched ;
               ipg:subject ?body ; sdmx-measure:obsValue ?launched ; sdmx-attribute:unitMeasure ?unit . }""")
    assert [(text(r, "campaignLabel"), text(r, "bodyLabel"), value(r, "launched"), text(r, "unit")) for r in rows] == [
        ("“云端”行动", "广州市公安局", 52, ID + "unit/zong")]
