"""Every fact with its evidence: quotes in their paragraphs, the report's text with every passage
anchored, a passage's position in its RDF; and the rest of an entity page (groups, incoming links
paged, schema.org JSON-LD)."""

from __future__ import annotations

import html as htmllib
import json
import re
from html.parser import HTMLParser

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

STORES = ("embedded", "oxigraph")  # every test runs over both (conftest.py)

BROWSER = {"Accept": "text/html"}
BASE = "https://ipgraph.example.org"
OA = "http://www.w3.org/ns/oa#"
PASSAGE = URIRef(BASE + "/id/passage/2-1-patent-applications")
QUOTE = "全市专利申请量173,124件，同比增长46.3%"


def report_text(graph) -> str:
    return str(next(graph.objects(None, URIRef("http://www.w3.org/2011/content#chars"))))


def position(graph, passage) -> tuple[int, int]:
    node = URIRef(f"{passage}#position")
    return (int(graph.value(node, URIRef(OA + "start"))), int(graph.value(node, URIRef(OA + "end"))))


def test_a_passage_rdf_carries_its_position(client, graph):
    got = Graph().parse(data=client.get("/id/passage/2-1-patent-applications.ttl").data, format="turtle")
    node = URIRef(f"{PASSAGE}#position")
    start, end = int(got.value(node, URIRef(OA + "start"))), int(got.value(node, URIRef(OA + "end")))
    assert report_text(graph)[start:end] == QUOTE
    assert (node, RDF.type, URIRef(OA + "TextPositionSelector")) in got


def test_a_passage_page_shows_its_position(client):
    html = client.get("/id/passage/2-1-patent-applications", headers=BROWSER).data.decode()
    assert "oa:start" in html and "oa:end" in html


def test_a_quote_is_marked_inside_its_paragraph(client, graph):
    html = client.get("/id/observation/guangzhou-2018-patent-applications", headers=BROWSER).data.decode()
    quote = re.search(r'<blockquote lang="zh">(.*?)<footer>', html, re.S).group(1).strip()
    before, marked, after = re.fullmatch(r"(.*)<mark>(.*)</mark>(.*)", quote, re.S).groups()
    paragraph = htmllib.unescape(before + marked + after)
    assert htmllib.unescape(marked) == QUOTE
    assert "\n" + paragraph + "\n" in report_text(graph)
    assert "/report?passage=2-1-patent-applications#passage-2-1-patent-applications" in html


def test_the_report_page_anchors_every_passage_and_keeps_every_character(client, graph):
    html = client.get("/report", headers=BROWSER).data.decode()
    passages = set(graph.subjects(RDF.type, URIRef(BASE + "/def/Passage")))
    anchors = set(re.findall(r'<span class="anchor" id="passage-([^"]+)"></span>', html))
    assert anchors == {str(p).rsplit("/", 1)[-1] for p in passages}
    article = html[html.index('<article class="report-text"'):html.index("</article>")]
    shown = [htmllib.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p id=\"para-\d+\">(.*?)</p>", article)]
    assert shown == [line for line in report_text(graph).split("\n") if line.strip()]


def test_the_report_page_marks_the_passage_asked_for(client, graph):
    html = client.get("/report?passage=2-1-patent-applications", headers=BROWSER).data.decode()
    chosen = "".join(re.findall(r'<mark class="chosen">([^<]*)</mark>', html))
    start, end = position(graph, PASSAGE)
    assert htmllib.unescape(chosen) == report_text(graph)[start:end] == QUOTE
    assert client.get("/report?passage=nothing", headers=BROWSER).status_code == 404


def test_properties_come_in_groups_names_first(client):
    html = client.get("/id/body/guangzhou-customs", headers=BROWSER).data.decode()
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    order = [h for h in headings if h in ("名称 Names", "类型 Kind", "关系 Relations", "证据 Evidence")]
    assert order == ["名称 Names", "类型 Kind", "关系 Relations", "证据 Evidence"]


def test_incoming_links_are_counted_and_paged(client, graph):
    guangzhou = URIRef(BASE + "/id/place/guangzhou")
    subject = URIRef(BASE + "/def/subject")
    linking = sorted(str(s) for s in graph.subjects(subject, guangzhou))
    assert len(linking) > 40  # more than two pages of 20
    html = client.get("/id/place/guangzhou", headers=BROWSER).data.decode()
    assert f'ipg:subject</small> <span class="count">{len(linking)}</span>' in html
    seen = []
    for page in range(1, -(-len(linking) // 20) + 1):
        html = client.get(f"/id/place/guangzhou?incoming=ipg:subject&page={page}", headers=BROWSER).data.decode()
        section = next(s for s in html.split('<section class="incoming">') if "ipg:subject</small>" in s)
        seen += re.findall(r'<li><a href="(/id/[^"]+)"', section.split("</section>")[0])
    assert [BASE + p for p in seen] == linking
    assert client.get("/id/place/guangzhou?incoming=ipg:subject&page=0", headers=BROWSER).status_code == 400
    assert client.get("/id/place/guangzhou?incoming=not%20a%20name", headers=BROWSER).status_code == 400


def test_a_page_embeds_schema_org_json_ld(client, graph):
    html = client.get("/id/body/guangzhou-ip-court", headers=BROWSER).data.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    document = json.loads(block)
    assert document["@id"] == BASE + "/id/body/guangzhou-ip-court"
    assert "GovernmentOrganization" in document["@type"]
    names = {(n["@language"], n["@value"]) for n in document["name"]}
    court = URIRef(BASE + "/id/body/guangzhou-ip-court")
    assert names == {(label.language, str(label)) for label in graph.objects(court, RDFS.label)}
    parsed = Graph().parse(data=block.replace('"https://schema.org/"', '{"@vocab": "https://schema.org/"}'),
                           format="json-ld")
    assert (court, URIRef("https://schema.org/name"), Literal("广州知识产权法院", lang="zh")) in parsed


def test_json_ld_cannot_close_its_script(settings):
    """A label with </script> in it stays inside the JSON: <, > and & are written as escapes."""
    from ipgraph.store import EmbeddedStore
    from ipgraph.web import create_app

    g, thing = Graph(), URIRef(BASE + "/id/body/x")
    label = Literal("</script><script>alert(1)</script> & more", lang="en")
    g.add((thing, RDF.type, URIRef(BASE + "/def/Court")))
    g.add((thing, RDFS.label, label))
    html = create_app(settings, store=EmbeddedStore.from_graph(g)).test_client().get(
        "/id/body/x", headers=BROWSER).data.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["name"] == [{"@value": str(label), "@language": "en"}]


class _Tree(HTMLParser):
    """Each link of a nested list with the link of the list item it is nested in."""

    def __init__(self):
        super().__init__()
        self.items: list[str | None] = []  # the first link of each open <li>
        self.parent: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.items.append(None)
        elif tag == "a" and self.items and self.items[-1] is None:
            href = dict(attrs)["href"]
            self.items[-1] = href
            self.parent[href] = next((i for i in reversed(self.items[:-1]) if i), None)

    def handle_endtag(self, tag):
        if tag == "li":
            self.items.pop()


def test_a_concept_scheme_shows_its_concepts_once_as_a_tree(client, graph):
    scheme = URIRef(BASE + "/id/scheme/case-types")
    concepts = {str(c)[len(BASE):] for c in graph.subjects(SKOS.inScheme, scheme)}
    html = client.get("/id/scheme/case-types", headers=BROWSER).data.decode()
    section = html[html.index('<section class="concepts">'):]
    section = section[:section.index("</section>")]
    tree = _Tree()
    tree.feed(section)
    assert sorted(re.findall(r'<li>(?:<code>[^<]*</code> )?<a href="([^"]+)"', section)) == sorted(concepts)
    for concept, parent in tree.parent.items():
        broader = {str(b)[len(BASE):] for b in graph.objects(URIRef(BASE + concept), SKOS.broader)} & concepts
        assert (parent is None) == (not broader) and (parent is None or parent in broader), concept
    assert any(parent for parent in tree.parent.values()), "the scheme has narrower concepts"
    incoming = html[html.index("被引用 Linked from"):] if "被引用 Linked from" in html else ""
    assert "skos:inScheme" not in incoming and "skos:topConceptOf" not in incoming
