"""The example queries of the city's publicity (data/queries/54-… to 57-…) answer with the report's own
names and numbers: section 七、知识产权宣传, its opening line and the municipal bodies' part of 社会宣传
(data/source/…txt, lines 138 and 142–158).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries range over
section 七 社会宣传 (section:7-1), whose later lines (160–162: the customs offices and the districts)
are transcribed in another file; each query returns `at`, where a row's first evidence starts in the
report's text, and the tests check the rows of lines 138–158 exactly (those that start before line
160), so that the data of lines 160–162 does not change the answers checked here.
"""
from __future__ import annotations

from pathlib import Path

from gallery import ID, parts, run, text, value

SOURCE = Path(__file__).resolve().parent.parent / "data" / "source" / "guangzhou-ip-report-2018.zh.txt"


def _line_start(number: int) -> int:
    """The code-point offset at which the report's line `number` (1-based) starts."""
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    return sum(len(line) + 1 for line in lines[:number - 1])


LINE_138, LINE_160 = _line_start(138), _line_start(160)


def _mine(rows: list[dict]) -> list[dict]:
    """The rows whose first evidence lies in lines 138–158; every row must have some evidence."""
    assert all(value(r, "at") is not None for r in rows), rows
    return [r for r in rows if LINE_138 <= value(r, "at") < LINE_160]


def test_what_each_body_did_in_ip_week(store):
    rows = run(store, "54-ip-week-what-each-body-did.rq")
    got = {(text(r, "partLabel"), text(r, "kindLabel"), parts(r, "bodies"), parts(r, "places"), parts(r, "figures"))
           for r in _mine(rows)}
    assert got == {
        # line 142: 全市 (a place) held them; no body is named
        ("2018年知识产权宣传周期间全市开展的各类知识产权普及宣传活动", "活动", frozenset(), frozenset({"广州市"}),
         frozenset({"举办场次：100场（余）", "参加人数：1万人次（超过）"})),
        # line 144: the municipal AIC organised the week's activities …
        ("市工商局组织2018年全国知识产权宣传周活动", "行动", frozenset({"实施：广州市工商局"}),
         frozenset(), frozenset()),
        # … and held the consultation event together with (会同) the trademark examination centre, its partner
        ("市工商局会同商标审查协作广州中心等单位举办的商标品牌咨询活动", "活动",
         frozenset({"主办：广州市工商局", "合作：国家工商总局商标审查协作广州中心"}), frozenset(),
         frozenset({"参加人数：500人次（余）", "答疑数：600个（余）", "派发宣传资料份数：1000份（余）"})),
    }
    assert len(_mine(rows)) == len(got)
    # the parts of the week from line 160 on belong to other bodies (the customs), never to those above
    later = [r for r in rows if value(r, "at") >= LINE_160]
    names = {b.partition("：")[2] for r in later for b in parts(r, "bodies")}
    assert not names & {"广州市工商局", "国家工商总局商标审查协作广州中心"}


def test_the_ip_week_is_one_node_under_both_of_its_names(store):
    rows = store.select("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?week WHERE { ?week skos:prefLabel|skos:altLabel ?name .
                             FILTER(STR(?name) IN ("2018年全国知识产权宣传周", "2018年知识产权宣传周")) }""")
    assert {text(r, "week") for r in rows} == {ID + "event/national-ip-publicity-week-2018"}
    assert len(rows) == 2


def test_media_accounts_and_publications_with_their_figures(store):
    rows = _mine(run(store, "55-media-accounts-and-publications-with-figures.rq"))
    got = {text(r, "thingLabel"): (text(r, "kindLabel"), text(r, "title"), parts(r, "bodies"),
                                   parts(r, "channels"), parts(r, "figures")) for r in rows}
    ip_office_media = frozenset({"推送信息条数（运营机构媒体合计）：近千条"})
    court_media = frozenset({"新媒体点击量（运营机构媒体合计）：同比变化 227%"})
    court_bodies = frozenset({"运营：广州知识产权法院", "经办：广州知识产权法院"})
    assert got == {
        # line 142: one figure (近千条) for the two accounts of the municipal IP office together
        "“广州知识产权”微信公众号": ("媒体账号", None, frozenset({"运营：广州市知识产权局"}), frozenset(),
                               ip_office_media),
        "市知识产权局官方微博": ("媒体账号", None, frozenset({"运营：广州市知识产权局"}), frozenset(),
                           ip_office_media),
        "知识产权城市宣传片": ("视频", None, frozenset({"经办：广州市知识产权局"}), frozenset(), frozenset()),
        "知识产权公益广告": ("公益广告", None, frozenset({"经办：广州市知识产权局"}), frozenset(), frozenset()),
        # line 144: the series went out on the AIC's WeChat account; no issuer, as its sentence has no subject
        "广州工商微信公众号": ("媒体账号", None, frozenset({"运营：广州市工商局", "经办：广州市工商局"}),
                           frozenset(), frozenset()),
        "小明与商标的故事": ("图解", "小明与商标的故事", frozenset({"经办：广州市工商局"}),
                       frozenset({"广州工商微信公众号"}), frozenset()),
        "广州市工商局2017年“双打”专项行动十大典型案例": ("案例汇编", None, frozenset({"经办：广州市工商局"}),
                                          frozenset(), frozenset()),
        # line 158: the court's platforms share its new-media figure, a rise with no base level
        "广州知识产权法院门户网站": ("媒体账号", None, court_bodies, frozenset(), court_media),
        "广州知识产权法院微信客户端": ("媒体账号", None, court_bodies, frozenset(), court_media),
        "探路者——媒体眼中的广州知识产权法院": ("书籍", "探路者——媒体眼中的广州知识产权法院",
                                  frozenset({"发布：广州知识产权法院"}), frozenset(), frozenset()),
    }
    assert len(rows) == len(got)


def test_publicity_actions_and_events_by_body(store):
    rows = _mine(run(store, "56-publicity-actions-and-events-by-body.rq"))
    got = {(text(r, "bodyLabel"), text(r, "roleLabel"), text(r, "thingLabel"), text(r, "kindLabel"),
            parts(r, "topics"), parts(r, "slogans"), parts(r, "partOf")) for r in rows}
    none = frozenset()
    ip_week = frozenset({"2018年全国知识产权宣传周"})
    consultation = "市工商局会同商标审查协作广州中心等单位举办的商标品牌咨询活动"
    classes = frozenset({"农业技术高级研修班", "水产品质量安全生产技术培训班"})
    law_publicity = "市质监局开展新修订《中华人民共和国标准化法》的宣传培训"
    assert got == {
        # line 138 (七): the member units of the leading group, linked to the group
        ("广州市知识产权工作领导小组", "实施",
         "市知识产权工作领导小组各成员单位创新宣传手段，广泛宣传知识产权政策及全市知识产权工作成效", "行动",
         frozenset({"国家、省、市知识产权政策", "全市知识产权工作成效"}), none, none),
        # line 142: 市知识产权局, and the week itself with the city's activities in it (no body)
        ("广州市知识产权局", "实施", "市知识产权局深化日常新闻报道", "行动", none, none, none),
        ("广州市知识产权局", "主办", "市知识产权局组织的各类新闻发布会、通气会、采访活动", "活动", none, none,
         frozenset({"市知识产权局深化日常新闻报道"})),
        (None, None, "2018年全国知识产权宣传周", "活动", none, none, none),
        (None, None, "2018年知识产权宣传周期间全市开展的各类知识产权普及宣传活动", "活动", none, none, ip_week),
        ("广州市知识产权局", "实施", "投放知识产权城市宣传片和公益广告，派发普及宣传材料", "行动", none, none, none),
        # line 144: 市工商局
        ("广州市工商局", "实施", "市工商局组织2018年全国知识产权宣传周活动", "行动", none, none, ip_week),
        ("广州市工商局", "主办", consultation, "活动", none, none, ip_week),
        ("国家工商总局商标审查协作广州中心", "合作", consultation, "活动", none, none, ip_week),
        ("广州市工商局", "实施", "通过广州工商微信公众号发布《小明与商标的故事》系列图解", "行动", none, none, none),
        ("广州市工商局", "实施", "在广州地铁车厢看板、公交车移动电视终端上宣传我市商标品牌战略实施成效", "行动",
         frozenset({"我市商标品牌战略实施成效"}), none, none),
        ("广州市工商局", "实施", "在红盾网和主流媒体上发布广州市工商局2017年“双打”专项行动十大典型案例", "行动",
         none, none, none),
        # shares its name with the “双打” work of 一, but the report does not say it is part of it
        ("广州市工商局", "实施", "广州市工商局2017年“双打”专项行动", "专项行动", none, none, none),
        # line 146: 市商务委; “走在全国前列” is what it promoted, not a ranked figure
        ("市商务委", "实施", "市商务委在对外经贸交流活动中宣传推介我市知识产权保护工作的成效", "行动",
         frozenset({"我市知识产权保护工作走在全国前列", "南沙自贸区在知识产权方面的创新成果"}), none, none),
        (None, None, "广交会", "展会", none, none, none),
        ("市商务委", "实施", "市商务委配合广交会知识产权保护工作，要求参展企业增强知识产权保护意识", "行动", none, none,
         frozenset({"广交会"})),
        # line 148: 市农业局; who held the two classes the report does not say
        ("市农业局", "实施", "市农业局通过农业通短信平台发送知识产权宣传短信", "行动", none, none, none),
        (None, None, "农业技术高级研修班", "培训", none, none, none),
        (None, None, "水产品质量安全生产技术培训班", "培训", none, none, none),
        ("市农业局", "实施", "市农业局结合农业技术高级研修班和水产品质量安全生产技术培训班进行知识产权宣传", "行动",
         none, none, classes),
        # line 150: 市质监局
        ("市质监局", "实施", law_publicity, "行动", none, none, none),
        ("市质监局", "主办", "新修订《中华人民共和国标准化法》宣贯会", "培训",
         frozenset({"新修订《中华人民共和国标准化法》"}), none, frozenset({law_publicity})),
        ("市质监局", "实施", "市质监局借助微博推送标准化最新动态，发起“走进新时代，解读新标法”话题讨论", "行动",
         frozenset({"走进新时代，解读新标法", "标准化最新动态"}), none, none),
        # lines 152-156: the collectives of the register
        ("全市公安机关", "实施", "市公安局系统利用重大节日以及“3·15”“4·26”“5·15”等宣传节点开展宣传报道", "行动",
         none, none, none),
        ("广州市检察机关", "实施",
         "广州市检察机关利用网络、报纸、杂志、电视、广播等媒体开展知识产权检察保护宣传", "行动", none, none, none),
        ("全市两级法院", "实施",
         "两级法院通过广播、电视、报纸、网络平台等方式宣传打击侵犯知识产权违法犯罪的法律法规和政策", "行动",
         none, none, none),
        ("全市两级法院", "实施", "两级法院通过重大案件公开宣判、定期公布典型案例等方式强化审判的社会效果", "行动",
         none, none, none),
        # line 158: 广州知识产权法院
        ("广州知识产权法院", "实施", "广州知识产权法院对门户网站、微信客户端等公开平台进行全面改版", "行动",
         none, none, none),
        ("广州知识产权法院", "主办", "广州知识产权法院“每月一星”评选宣传活动", "竞赛", none, none, none),
        ("广州知识产权法院", "实施",
         "广州知识产权法院结合精品案件审判强化典型案例引导示范作用，在国家、省级媒体刊发报道", "行动",
         none, frozenset({"件件有报道、案案有反响"}), none),
    }
    assert len(rows) == len(got)


def test_counted_publicity_events_side_by_side(store):
    rows = _mine(run(store, "57-counted-publicity-events-side-by-side.rq"))
    got = {(text(r, "eventLabel"), text(r, "valueTypeLabel"), text(r, "periodLabel"), parts(r, "organizers"),
            parts(r, "partners"), value(r, "held"), text(r, "heldUnitLabel"), text(r, "heldApproxLabel"),
            value(r, "people"), text(r, "peopleUnitLabel"), text(r, "peopleApproxLabel")) for r in rows}
    assert got == {
        ("市知识产权局组织的各类新闻发布会、通气会、采访活动", "水平值", "2018年", frozenset({"广州市知识产权局"}),
         frozenset(), 16, "次", None, None, None, None),
        ("2018年知识产权宣传周期间全市开展的各类知识产权普及宣传活动", "水平值", "2018年", frozenset(),
         frozenset(), 100, "场", "余", 1, "万人次", "超过"),
        ("市工商局会同商标审查协作广州中心等单位举办的商标品牌咨询活动", "水平值", "2018年",
         frozenset({"广州市工商局"}), frozenset({"国家工商总局商标审查协作广州中心"}),
         None, None, None, 500, "人次", "余"),
        # 累计举办宣贯会32场，培训人数超3,000人: running totals to the end of 2018, not figures of the year
        ("新修订《中华人民共和国标准化法》宣贯会", "累计量", "2018年12月31日", frozenset({"市质监局"}),
         frozenset(), 32, "场", None, 3000, "人", "超过"),
    }
    assert len(rows) == len(got)
