"""The example queries of section 七（二）专业培训 (data/queries/62-… to 65-…) answer with the report's own
names and numbers (data/source/…txt, lines 164–168).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries keep to the
things whose evidence lies in section 七（二）, so data added for other sections does not change the
answers.
"""
from __future__ import annotations

from pathlib import Path

from gallery import ID, parts, run, text, value

REPORT = (Path(__file__).resolve().parent.parent / "data" / "source"
          / "guangzhou-ip-report-2018.zh.txt").read_text(encoding="utf-8")

IP_OFFICE_COURSES = "市知识产权局举办的企业专利挖掘与布局等培训班"
HUANGPU_TRAININGS = "黄埔区、广州开发区举办的符合企业特点的各类知识产权培训活动"
NANSHA_COURSES = "南沙区联合区知识产权工作站、区知识产权发展促进会等举办的专题培训班"
HUADU_INDUSTRY = "花都区分行业举办的汽车、LED、电子音响等行业高价值专利培育培训班"
HUADU_PLEDGE = "花都区联合广州科技金融中心、建行等举办的专利权质押融资培训班"
LIWAN_TRAINING = "荔湾区在国览医疗器械城等专业市场举办的知识产权专题培训"
PANYU_EXCHANGE = "番禺区教育局组织科技骨干教师到佛山市交流"
LECTURES = "省市专家到试点学校开展的知识产权教育专题讲座"
INTO_SCHOOLS = "各区知识产权进校园活动"
CONTEST = "“羊城工匠杯”2018年广州市技工院校师生创新创业大赛"
CADRE_COURSE = "第二期市知识产权系统干部综合能力培训班"
ZENGCHENG_PRACTICE = "2018年增城开发区知识产权实务培训会"
ZENGCHENG_SME = "增城区中小企业创新方法推广示范应用培训会"


def test_trainings_ranked_by_participants_one_unit_at_a_time(store):
    rows = run(store, "62-trainings-ranked-by-participants.rq")
    got = [(text(r, "unitLabel"), value(r, "rank"), text(r, "trainingLabel"), value(r, "value"),
            text(r, "approximationLabel"), text(r, "statedAs"), text(r, "organizers")) for r in rows]
    assert got == [
        # all three figures are person-times (人次); the 100 teachers (名) went on an exchange, not a course
        ("人次", 1, HUANGPU_TRAININGS, 7000, "超过", "超过7,000人次", "黄埔区、广州开发区"),
        ("人次", 2, IP_OFFICE_COURSES, 1000, "余", "1,000多人次", "广州市知识产权局"),
        ("人次", 3, NANSHA_COURSES, 620, "余", "620余人次", "南沙区"),
    ]
    assert {text(r, "training").removeprefix(ID + "event/") for r in rows} == {
        "huangpu-enterprise-ip-trainings", "guangzhou-ip-office-enterprise-ip-courses", "nansha-ip-training-courses"}
    # each figure stands in the report in its own words
    assert all(text(r, "statedAs").replace("超过", "") in REPORT for r in rows)


def test_trainings_by_organiser_and_partner(store):
    rows = run(store, "63-trainings-by-organiser-and-partner.rq")
    got = {text(r, "eventLabel"): (text(r, "kindLabel"), parts(r, "organizers"), parts(r, "partners"),
                                   parts(r, "hosts"), parts(r, "places"), parts(r, "partOf"))
           for r in rows}
    none: frozenset[str] = frozenset()
    assert got == {
        CADRE_COURSE: ("培训", {"广州市知识产权局"}, none, {"清华大学深圳研究生院"}, none, none),
        IP_OFFICE_COURSES: ("培训", {"广州市知识产权局"}, none, none, none, none),
        CONTEST: ("竞赛", {"广州市知识产权局"}, {"市人社局", "市总工会"}, none, none, none),
        "市教育局师资培训": ("培训", {"市教育局"}, none, none, none, none),
        INTO_SCHOOLS: ("活动", none, none, none, none, none),
        "各区知识产权进校园活动中的教师培训": ("培训", none, none, none, none, {INTO_SCHOOLS}),
        LECTURES: ("讲座", none, none, none, none, {INTO_SCHOOLS}),
        LIWAN_TRAINING: ("培训", {"荔湾区"}, none, {"国览医疗器械城"}, none, none),
        PANYU_EXCHANGE: ("活动", {"番禺区教育局"}, none, none, {"佛山市"}, none),
        HUANGPU_TRAININGS: ("培训", {"黄埔区、广州开发区"}, {"知识产权协会", "知识产权服务业联合会"}, none, none, none),
        HUADU_INDUSTRY: ("培训", {"花都区"}, none, none, none, none),
        HUADU_PLEDGE: ("培训", {"花都区"}, {"广州科技金融中心", "中国建设银行"}, none, none, none),
        NANSHA_COURSES: ("培训", {"南沙区"}, {"区知识产权工作站", "区知识产权发展促进会"}, none, none, none),
        ZENGCHENG_PRACTICE: ("培训", {"增城区"}, none, none, none, none),
        ZENGCHENG_SME: ("培训", {"增城区"}, none, none, none, none),
    }
    assert len(rows) == len(got)


def test_topics_taught(store):
    rows = run(store, "64-topics-taught.rq")
    taught: dict[str, set] = {}
    for r in rows:
        taught.setdefault(text(r, "eventLabel"), set()).add(text(r, "topic"))
    assert taught == {
        IP_OFFICE_COURSES: {"企业专利挖掘与布局", "企业知识产权贯标能力提升", "电商知识产权保护", "知识产权金融"},
        LECTURES: {"专利信息的利用", "中小学知识产权教育特点及方法", "中小学知识产权教育实践与研究"},
        HUADU_INDUSTRY: {"高价值专利培育", "汽车", "LED", "电子音响"},
        HUADU_PLEDGE: {"专利权质押融资"},
        NANSHA_COURSES: {"知识产权相关政策", "专利挖掘", "专利布局", "专利侵权判定", "知识产权贯标",
                         "专利质押融资", "海外维权"},
    }
    assert len(rows) == sum(len(topics) for topics in taught.values())
    assert all(value(r, "topicCount") == len(taught[text(r, "eventLabel")]) for r in rows)
    # every topic is the report's own words
    assert all(text(r, "topic") in REPORT for r in rows)
    # the lectures have no organizer: the districts (各区) are not a body
    assert {text(r, "organizerLabel") for r in rows if text(r, "eventLabel") == LECTURES} == {None}


def test_district_trainings_side_by_side(store):
    rows = run(store, "65-district-trainings-side-by-side.rq")
    got = {text(r, "bodyLabel"): (value(r, "eventCount"), parts(r, "events"), parts(r, "sessionsHeld"),
                                  parts(r, "participantsTakingPart"), parts(r, "organisationsTakingPart"),
                                  parts(r, "partners"))
           for r in rows}
    none: frozenset[str] = frozenset()
    assert got == {
        "荔湾区": (1, {LIWAN_TRAINING}, none, none, {"200多家"}, none),
        "番禺区教育局": (1, {PANYU_EXCHANGE}, none, {"100名"}, none, none),
        "黄埔区、广州开发区": (1, {HUANGPU_TRAININGS}, {"80余场"}, {"超过7,000人次"}, none,
                           {"知识产权协会", "知识产权服务业联合会"}),
        "花都区": (2, {HUADU_INDUSTRY, HUADU_PLEDGE}, none, none, none, {"广州科技金融中心", "中国建设银行"}),
        "南沙区": (1, {NANSHA_COURSES}, {"12场"}, {"620余人次"}, none, {"区知识产权工作站", "区知识产权发展促进会"}),
        "增城区": (2, {ZENGCHENG_PRACTICE, ZENGCHENG_SME}, none, none, none, none),
    }
    assert len(rows) == len(got)


def test_every_number_of_the_sub_section_is_an_observation_with_its_quote(store):
    """The seven numbers of lines 165–168, each an observation whose passage quotes it."""
    rows = store.select("""
        PREFIX ipg: <https://ipgraph.example.org/def/>
        PREFIX section: <https://ipgraph.example.org/id/section/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
        SELECT ?obs ?value ?unitLabel ?quote WHERE {
          ?obs a qb:Observation ; ipg:evidence ?passage ;
               sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure/skos:prefLabel ?unitLabel .
          ?passage dcterms:isPartOf section:7-2 ; oa:hasSelector/oa:exact ?quote .
          FILTER(lang(?unitLabel) = "zh")
        }""")
    got: dict[str, tuple] = {}
    for r in rows:
        slug = text(r, "obs").removeprefix(ID + "observation/")
        number = value(r, "value")
        assert f"{number:,}" in text(r, "quote") or str(number) in text(r, "quote")
        got[slug] = (number, text(r, "unitLabel"))
    assert got == {
        "guangzhou-ip-office-enterprise-ip-courses-2018-event-participants": (1000, "人次"),
        "liwan-market-ip-training-2018-participating-organisations": (200, "家"),
        "panyu-teachers-exchange-foshan-2018-event-participants": (100, "名"),
        "huangpu-enterprise-ip-trainings-2018-events-held": (80, "场"),
        "huangpu-enterprise-ip-trainings-2018-event-participants": (7000, "人次"),
        "nansha-ip-training-courses-2018-events-held": (12, "场"),
        "nansha-ip-training-courses-2018-event-participants": (620, "人次"),
    }
