#!/usr/bin/env python3
"""Reads the `graphml` and `gexf` exports with networkx and compares them with the JSON.

  python check_graphml_gexf.py GRAPH.json FILE.graphml FILE.gexf

Checks: both parse; node and edge counts equal the JSON graph's; every node's label and
kind come back (control characters as spaces), GraphML's typed keys give ints; in GEXF
every dated event has start/end equal to its first and last day.
"""
import sys

import networkx as nx

from expect import Graph, check, clean, last_day, short


def main():
    graph_path, graphml, gexf = sys.argv[1], sys.argv[2], sys.argv[3]
    exp = Graph(graph_path)
    g = nx.read_graphml(graphml, force_multigraph=True)
    check(g.is_directed(), "graphml: not directed")
    check(g.number_of_nodes() == len(exp.nodes), f"graphml: {g.number_of_nodes()} nodes")
    check(g.number_of_edges() == len(exp.edges), f"graphml: {g.number_of_edges()} edges")
    for node in exp.nodes:
        attrs = g.nodes[clean(node["id"])]
        check(attrs["label"] == clean(node["label"]), f"graphml: label of {short(node['id'])}")
        check(attrs["kind"] == node["kind"], f"graphml: kind of {short(node['id'])}")
        check(attrs["mention_count"] == len(node["mentions"]), "graphml: mention_count not an int")
    rels = sorted(d["relation"] for _, _, d in g.edges(data=True))
    check(rels == sorted(e["relation"] for e in exp.edges), "graphml: relations differ")

    h = nx.read_gexf(gexf)
    check(h.is_directed(), "gexf: not directed")
    check(h.number_of_nodes() == len(exp.nodes), f"gexf: {h.number_of_nodes()} nodes")
    check(h.number_of_edges() == len(exp.edges), f"gexf: {h.number_of_edges()} edges")
    dated = 0
    for node in exp.nodes:
        attrs = h.nodes[clean(node["id"])]
        check(attrs["label"] == clean(node["label"]), f"gexf: label of {short(node['id'])}")
        check(attrs["kind"] == node["kind"], f"gexf: kind of {short(node['id'])}")
        if node.get("date_start"):
            dated += 1
            want = (node["date_start"], last_day(node["date_start"], node["date_end"]))
            check((attrs.get("start"), attrs.get("end")) == want,
                  f"gexf: interval of {short(node['id'])}: {attrs.get('start')}..{attrs.get('end')}")
        else:
            check("start" not in attrs, f"gexf: undated {short(node['id'])} has a start")
    print(f"networkx: graphml and gexf with {len(exp.nodes)} nodes, {len(exp.edges)} edges, "
          f"{dated} dated events on the GEXF timeline")


if __name__ == "__main__":
    main()
