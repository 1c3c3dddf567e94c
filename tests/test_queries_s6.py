"""The example queries of section 六、知识产权人才培育 and of section 七's 青少年教育 (data/queries/50-… to
53-…) answer with the report's own names and numbers (data/source/…txt, lines 128–134 and 170–173).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries keep to the
things whose evidence lies in section 六 or in 七 青少年教育, so data added for other sections does not
change the answers.
"""
from __future__ import annotations

from gallery import ID, parts, run, text, value


def test_what_the_forty_leading_teams_produced_item_by_item(store):
    rows = run(store, "50-leading-talent-teams-results.rq")
    assert {text(r, "programmeLabel") for r in rows} == {"产业领军人才工程"}
    assert {text(r, "operatorLabel") for r in rows} == {"市科技创新委"}  # 市科技创新委实施产业领军人才工程
    got = {
        text(r, "indicator").removeprefix(ID + "indicator/"):
            (value(r, "value"), text(r, "unitLabel"), text(r, "valueType").removeprefix(ID + "concept/"),
             text(r, "periodLabel"))
        for r in rows
    }
    assert got == {
        "innovation-entrepreneurship-leading-teams": (40, "个", "level", "2018年"),
        "new-products-materials-processes-equipment": (155, "项", "level", "2018年"),
        "pct-applications": (37, "件", "level", "2018年"),
        "domestic-patent-applications": (171, "件", "level", "2018年"),
        "domestic-invention-patent-applications": (137, "件", "level", "2018年"),
        "patent-grants": (54, "件", "level", "2018年"),
        "invention-patent-grants": (29, "件", "level", "2018年"),
        "clinical-trial-approvals": (9, "项", "level", "2018年"),
        # 累计获得省部级科技成果奖励3项: a running total, dated at the year end
        "provincial-ministerial-science-technology-awards": (3, "项", "cumulative", "2018年12月31日"),
        "national-key-rd-programme-projects": (15, "项", "level", "2018年"),
    }
    assert len(rows) == len(got)
    # the two 其中 figures are counts under a narrower indicator, each beside its whole
    wholes = {text(r, "indicatorLabel"): (text(r, "partOfIndicatorLabel"), value(r, "partOfValue"))
              for r in rows if text(r, "partOfIndicatorLabel")}
    assert wholes == {"国内发明专利申请量": ("国内专利申请量", 171), "发明专利授权量": ("专利授权量", 54)}
    assert [value(r, "value") for r in rows] == sorted((value(r, "value") for r in rows), reverse=True)


def test_the_talent_base_who_builds_it_and_its_ceremony(store):
    rows = run(store, "51-talent-base-and-ceremony.rq")
    assert len(rows) == 1
    (row,) = rows
    assert text(row, "base") == ID + "programme/guangzhou-ip-talent-base"
    assert {k: text(row, k) for k in (
        "baseLabel", "builderLabel", "hostLabel", "partnerLabel", "partLabel",
        "ceremonyLabel", "ceremonyPeriodLabel", "ceremonyHostLabel", "ceremonyOrganizerLabel")} == {
        "baseLabel": "广州知识产权人才基地",
        "builderLabel": "广州市知识产权局",          # 市知识产权局继续推进广州知识产权人才基地建设
        "hostLabel": "暨南大学",
        "partnerLabel": "暨南大学",                  # 共同打造
        "partLabel": "暨南大学“知识产权大楼”建设",
        "ceremonyLabel": "广州知识产权人才基地揭牌及奠基仪式",
        "ceremonyPeriodLabel": "2018年3月",          # 2018年3月 → period:2018-03
        "ceremonyHostLabel": "暨南大学",             # 在暨南大学举行
        "ceremonyOrganizerLabel": "广州市知识产权局",
    }


def test_youth_contests_with_their_participants(store):
    rows = run(store, "52-youth-contests-and-participants.rq")
    got = {(text(r, "contestLabel"), text(r, "indicatorLabel"), value(r, "value"), text(r, "unitLabel"),
            text(r, "statedAs")) for r in rows}
    assert got == {
        ("第三届广州市大学生知识产权知识竞赛", "参加单位数", 70, "所", "超过70所"),
        ("第三届广州市大学生知识产权知识竞赛", "参加人数", 3, "万名", "3万多名"),
        ("2018年（第三届）广州市中小学生知识产权演讲大赛", None, None, None, None),
        ("2018年（第三届）广州市中小学生知识产权演讲大赛区级选拔", None, None, None, None),
        ("2018年（第三届）广州市中小学生知识产权演讲大赛市级总决赛", "参加人数", 100, "人", None),
        ("2018年越秀区青少年知识产权演讲比赛", None, None, None, None),
    }
    assert len(rows) == len(got)
    by_contest = {text(r, "contestLabel"): r for r in rows}
    assert {k: value(r, "edition") for k, r in by_contest.items()} == {
        "第三届广州市大学生知识产权知识竞赛": 3,
        "2018年（第三届）广州市中小学生知识产权演讲大赛": 3,
        "2018年（第三届）广州市中小学生知识产权演讲大赛区级选拔": None,
        "2018年（第三届）广州市中小学生知识产权演讲大赛市级总决赛": None,
        "2018年越秀区青少年知识产权演讲比赛": None,
    }
    assert {k: (parts(r, "organizers"), parts(r, "partners")) for k, r in by_contest.items()} == {
        "第三届广州市大学生知识产权知识竞赛": ({"广州市知识产权局"}, frozenset()),
        # 市教育局会同广州市知识产权局举办: the subject organises, the body it holds it with is a partner
        "2018年（第三届）广州市中小学生知识产权演讲大赛": ({"市教育局"}, {"广州市知识产权局"}),
        "2018年（第三届）广州市中小学生知识产权演讲大赛区级选拔": (frozenset(), frozenset()),
        "2018年（第三届）广州市中小学生知识产权演讲大赛市级总决赛": (frozenset(), frozenset()),
        "2018年越秀区青少年知识产权演讲比赛": ({"越秀区"}, frozenset()),
    }
    stages = {k for k, r in by_contest.items()
              if text(r, "partOfLabel") == "2018年（第三届）广州市中小学生知识产权演讲大赛"}
    assert stages == {"2018年（第三届）广州市中小学生知识产权演讲大赛区级选拔",
                      "2018年（第三届）广州市中小学生知识产权演讲大赛市级总决赛"}
    assert text(by_contest["2018年越秀区青少年知识产权演讲比赛"], "slogan") == "变革动力：创新创造"
    assert {k for k, r in by_contest.items() if text(r, "periodLabel") == "2018年"} == {
        "2018年（第三届）广州市中小学生知识产权演讲大赛", "2018年越秀区青少年知识产权演讲比赛"}


def test_school_activities_and_their_reach(store):
    rows = run(store, "53-school-activities-and-reach.rq")
    figures = {(text(r, "activityLabel"), text(r, "indicatorLabel"), value(r, "value"), text(r, "unitLabel"),
                text(r, "statedAs")) for r in rows if text(r, "indicatorLabel")}
    assert figures == {
        ("市知识产权局组织专家到各大高校开展的知识产权宣讲", "举办场次", 12, "次", "12多次"),
        ("以知识产权为主要内容的宣传教育活动", "参加人数", 143, "万人", None),
        ("在各试点学校集中开展保护知识产权宣传“四个一”", "宣传项目数", 4, "个", "四个一"),
        ("中小学专利知识讲座、宣传咨询以及巡回展等活动", "参加单位数", 100, "所", "100余所"),
        ("中小学专利知识讲座、宣传咨询以及巡回展等活动", "参加人数", 65, "万人次", None),
        ("海珠区中小学校“扫黄打非”基层站点", "建立基层站点的学校数", 120, "所", "120多所"),
    }
    activities = {text(r, "activityLabel"): (text(r, "kindLabel"), parts(r, "by"), text(r, "partOfLabel"))
                  for r in rows}
    assert {text(r, "activityLabel"): parts(r, "partners") for r in rows if parts(r, "partners")} == {
        "以知识产权为主要内容的宣传教育活动": {"广州市知识产权局"},  # 会同
    }
    assert activities == {
        "市知识产权局组织专家到各大高校开展的知识产权宣讲": ("讲座", {"广州市知识产权局"}, None),
        "以知识产权为主要内容的宣传教育活动": ("活动", {"市教育局"}, None),
        "在各试点学校集中开展保护知识产权宣传“四个一”": ("行动", {"市教育局"}, None),
        "面向学生的专家报告会、知识产权培训会、科技讲座、发明知识讲座、研讨展示活动": ("活动", {"市教育局"}, None),
        # run by the schools themselves, which the report does not name
        "中小学专利知识讲座、宣传咨询以及巡回展等活动": ("活动", frozenset(), None),
        "“扫黄打非进校园”专项行动": ("专项行动", {"海珠区", "黄埔区、广州开发区"}, None),
        "海珠区中小学校“扫黄打非”基层站点": ("工作站", frozenset(), "“扫黄打非进校园”专项行动"),
        "“远离有害出版物，多读书，读好书”签名承诺活动": ("活动", {"黄埔区、广州开发区"}, "“扫黄打非进校园”专项行动"),
    }
    assert len(rows) == len(figures) + 3  # three activities without a figure
