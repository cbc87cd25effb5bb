#!/usr/bin/env python3
"""Runs the `cypher` export twice on a live FalkorDB and checks what it holds.

  python check_falkordb.py GRAPH.json SCRIPT.cypher PORT GRAPHNAME [ENTITY] [--push TKG]

With --push, the graph is loaded (twice) by `TKG export GRAPH.json --falkordb URL`
instead of by running the script's statements here; the same checks follow.

Checks: every statement runs; node counts per label and relationship counts per type
equal the JSON graph's; names, aliases and titles come back byte-identical (control
characters as spaces); the second run creates nothing and changes no count; the dated
events' agents come back in date order; the busiest entity's events come back in date
order.
"""
import re
import subprocess
import sys

from falkordb import FalkorDB

from expect import KIND_LABEL, REL_TYPE, Graph, check, clean, short


def statements(path):
    """Splits the script at lines ending with ';' (comment lines skipped)."""
    buf = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not buf and (not line.strip() or line.lstrip().startswith("//")):
                continue
            buf.append(line)
            if line.endswith(";"):
                yield "\n".join(buf)[:-1]
                buf = []
    check(not buf, "script ends inside a statement")


def counts(g):
    nodes = {}
    for label in list(KIND_LABEL.values()) + ["Document"]:
        nodes[label] = g.query(f"MATCH (n:{label}) RETURN count(n)").result_set[0][0]
    rels = {}
    for t in REL_TYPE.values():
        rels[t] = g.query(f"MATCH ()-[r:{t}]->() RETURN count(r)").result_set[0][0]
    total = g.query("MATCH (n) RETURN count(n)").result_set[0][0]
    return nodes, rels, total


def push(tkg, graph_path, port, name):
    """Loads with `tkg export --falkordb`; returns (statements, nodes+relationships created)."""
    out = subprocess.run([tkg, "export", graph_path, "--falkordb", f"redis://127.0.0.1:{port}/{name}"],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"pushed (\d+) statements .*created (\d+) nodes, (\d+) relationships", out)
    check(m, f"unexpected tkg output {out!r}")
    return int(m.group(1)), int(m.group(2)) + int(m.group(3))


def run(g, path):
    created = 0
    n = 0
    for st in statements(path):
        r = g.query(st)
        created += r.nodes_created + r.relationships_created
        n += 1
    return n, created


def main():
    args = sys.argv[1:]
    tkg = None
    if "--push" in args:
        i = args.index("--push")
        tkg = args[i + 1]
        del args[i:i + 2]
    graph_path, script, port, name = args[0], args[1], int(args[2]), args[3]
    load = (lambda: push(tkg, graph_path, port, name)) if tkg else (lambda: run(g, script))
    exp = Graph(graph_path)
    db = FalkorDB(host="127.0.0.1", port=port)
    g = db.select_graph(name)
    try:
        g.delete()
    except Exception:
        pass
    n, created = load()
    nodes, rels, total = counts(g)
    want_nodes = {KIND_LABEL[k]: v for k, v in exp.kind_counts().items()}
    want_nodes["Document"] = len(exp.documents)
    want_rels = {REL_TYPE[r]: exp.relation_counts().get(r, 0) for r in REL_TYPE}
    check(nodes == want_nodes, f"node counts {nodes} != {want_nodes}")
    check(rels == want_rels, f"relationship counts {rels} != {want_rels}")
    check(total == len(exp.nodes) + len(exp.documents), f"total nodes {total}")
    # Strings come back exactly.
    got = {r[0]: (r[1], r[2]) for r in g.query(
        "MATCH (n) WHERE NOT n:Document RETURN n.id, n.name, n.aliases").result_set}
    for node in exp.nodes:
        nid = clean(node["id"])
        check(nid in got, f"node {nid!r} missing")
        check(got[nid][0] == clean(node["label"]), f"name of {short(nid)}: {short(got[nid][0])}")
        check(got[nid][1] == [clean(a) for a in node["aliases"]], f"aliases of {nid!r}")
    # Dates: the TIMEX3 string always, date() values where the value is a day.
    days = {r[0]: r[1:] for r in g.query(
        "MATCH (e:Event) RETURN e.id, e.date, toString(e.day), toString(e.date_start), "
        "toString(e.date_end)").result_set}
    for node in exp.nodes:
        if node["kind"] != "event":
            continue
        d = node.get("date")
        day = d if d and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) else None
        want = (d, day, node.get("date_start"), node.get("date_end"))
        check(days[clean(node["id"])] == list(want), f"dates of {short(node['id'])}: {days[clean(node['id'])]} != {want}")
    titles = sorted(r[0] for r in g.query("MATCH ()-[r:ROLE]->() RETURN r.title").result_set)
    want_titles = sorted(clean(e["title"]) for e in exp.edges if e["relation"] == "role")
    check(titles == want_titles, f"role titles {titles} != {want_titles}")
    # Second run: nothing new.
    n2, created2 = load()
    check(created2 == 0, f"second run created {created2} nodes/relationships")
    check(counts(g) == (nodes, rels, total), "counts changed on the second run")
    # Agents of dated events, in date order.
    rows = g.query(
        "MATCH (a)-[:AGENT]->(e:Event) WHERE e.date_start IS NOT NULL "
        "RETURN e.id, toString(e.date_start), a.name ORDER BY e.date_start, e.id, a.name"
    ).result_set
    got_rows = [tuple(r) for r in rows]
    want_rows = exp.dated_agents()
    check(got_rows == want_rows, f"dated agents differ: {short(got_rows)} vs {short(want_rows)}")
    entity = None
    if len(args) > 4:
        named = [n["id"] for n in exp.nodes if n["label"] == args[4] and n["kind"] != "event"]
        check(named, f"no entity named {args[4]!r} in the graph")
        entity = named[0]
    else:
        entity = exp.busiest_entity()
    story = 0
    if entity is not None:
        got_story = [tuple(r) for r in g.query(
            "MATCH (a {id: $id})-[]-(e:Event) WHERE e.date_start IS NOT NULL "
            "RETURN DISTINCT toString(e.date_start) AS d, e.id AS i ORDER BY d, i",
            {"id": clean(entity)}).result_set]
        want_story = exp.events_of(entity)
        check(got_story == want_story, f"events of {short(entity)}: {short(got_story)} != {short(want_story)}")
        story = len(got_story)
    g.delete()
    how = "tkg export --falkordb" if tkg else "script"
    print(f"falkordb ({how}): {n} statements x2, {total} nodes, {sum(rels.values())} relationships, "
          f"{len(want_rows)} dated agent rows in order, {story} dated events of "
          f"{short(entity, 60)} in order, second run created {created2}")


if __name__ == "__main__":
    main()
