#!/usr/bin/env python3
"""Writes a timeline-kg JSON graph whose names, ids, titles and sentences attack every
export format: quotes, backslashes, line breaks, <>&, '"]; ...', "', '", Cypher and SPARQL
metacharacters, control characters, right-to-left and combining text, emoji, and a
100 kB label. `tkg export` reads it like any graph `tkg build` wrote.

  python make_hostile_graph.py OUT.json
"""
import json
import sys

BIG = ("A \"big\" \\ label, with <tags> & 'quotes'; " * 2500)[:100_000]
NASTY = [
    "O'Brien \"The Boss\" \\ backslash",
    "line\nbreak and\r\nCRLF and lone\rCR\ttab",
    "<script>alert('x')</script> &amp; &lt;",
    "\"]; x -> y [label=\"pwn",
    "', '",
    "\"}) MATCH (n) DETACH DELETE n //",
    "`backtick` $param {map: 1} [list] ;",
    "} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #",
    "<http://example.org/x> . _:b0 @prefix x: <y> .",
    "C:\\users\\u0041\\n not a newline",
    "bell\u0007 unit\u001f nul\u0000 del\u007f",
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 e\u0301 \U0001F600 \u2028sep",
    "%41 %zz 100% \u00e9",
]

def ev(doc, start, sentence):
    return {"doc": doc, "start": start, "end": start + 5, "sentence": sentence}

def main(out):
    docs = [
        {"id": "doc \"one\"\n<1>", "title": NASTY[3], "date": "2025-03-05", "origin": "hostile/one.jsonl:1",
         "content_hash": "0123456789abcdef"},
        {"id": "doc;2,'x'", "title": None, "date": None, "origin": "hostile\\two.txt",
         "content_hash": "fedcba9876543210"},
    ]
    d1, d2 = docs[0]["id"], docs[1]["id"]
    nodes, edges = [], []
    def entity(kind, i, label, aliases):
        nodes.append({
            "id": f"{kind}:{i}:{label[:40]}",
            "kind": kind,
            "label": label,
            "aliases": aliases,
            "mentions": [ev(d1, 10 * i, label[:200]), ev(d2, 3, NASTY[(i + 1) % len(NASTY)])],
            "merges": [f"alias {NASTY[4]} joined"] if i % 2 else [],
        })
        return nodes[-1]["id"]
    people = [entity("person", i, n, [NASTY[(i + 2) % len(NASTY)], "a;b,c"]) for i, n in enumerate(NASTY)]
    big = entity("person", 99, BIG, [])
    orgs = [entity("organization", i, NASTY[-1 - i] + " Org", []) for i in range(3)]
    places = [entity("location", i, NASTY[i + 5] + " City", [NASTY[1]]) for i in range(3)]
    dates = [
        ("2025-03-05", "2025-03-05", "2025-03-06", NASTY[0]),
        ("2025-03", "2025-03-01", "2025-04-01", "in March"),
        ("2025-W10", "2025-03-03", "2025-03-10", NASTY[7]),
        (None, None, None, None),
        ("2025-03-04", "2025-03-04", "2025-03-05", "Tuesday"),
    ]
    events = []
    for i, (timex, start, end, text) in enumerate(dates):
        eid = f"event:{d1}:{100 + i}"
        nodes.append({
            "id": eid,
            "kind": "event",
            "label": f"{timex or ''} {NASTY[i]}".strip(),
            "aliases": [],
            "mentions": [ev(d1, 100 + i, NASTY[(i + 3) % len(NASTY)])],
            "trigger": NASTY[i],
            "lemma": NASTY[i].lower(),
            "event_type": ["statement", "consult", "assault", "agree", "other"][i],
            "date": timex,
            "date_text": text,
            "date_start": start,
            "date_end": end,
        })
        events.append(eid)
    def edge(s, t, rel, title=None, evidence=None):
        e = {"source": s, "target": t, "relation": rel, "evidence": evidence if evidence is not None else [ev(d1, 7, NASTY[9])]}
        if title is not None:
            e["title"] = title
        edges.append(e)
    for i, e in enumerate(events):
        edge(people[i], e, "agent")
        edge(people[(i + 4) % len(people)], e, "agent")
        edge(e, orgs[i % 3], "patient")
        edge(e, places[i % 3], "located_in")
        edge(e, people[(i + 7) % len(people)], "participant")
    edge(big, events[0], "agent")
    edge(people[0], orgs[0], "role", NASTY[2])
    edge(people[0], orgs[0], "role", NASTY[5])  # parallel edge, another title
    edge(people[1], orgs[1], "role", "")
    edge(events[4], events[0], "before", evidence=[])
    edge(events[0], events[1], "before", evidence=[])
    keys = {}
    for e in edges:
        k = keys.get((e["source"], e["target"]), 0)
        keys[(e["source"], e["target"])] = k + 1
        e["key"] = k
    graph = {
        "schema": "timeline-kg/graph",
        "version": 1,
        "directed": True,
        "multigraph": True,
        "graph": {"documents": docs},
        "nodes": nodes,
        "edges": edges,
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(graph, fh, ensure_ascii=False, indent=1)

if __name__ == "__main__":
    main(sys.argv[1])
