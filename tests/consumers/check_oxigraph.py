#!/usr/bin/env python3
"""Loads the `ntriples` and `turtle` exports into Oxigraph and asks them with SPARQL.

  python check_oxigraph.py GRAPH.json FILE.nt FILE.ttl

Checks, for each file: it parses; the number of schema:Person, schema:Organization,
schema:Place and schema:Event resources and of reified statements equals the JSON
graph's; every node's schema:identifier and schema:name come back exactly (RDF keeps
control characters); a SPARQL query returns the dated events with their agents in date
order; every edge statement points to evidence mentions with a document; both files give
the same graph.
"""
import sys

from pyoxigraph import RdfFormat, Store

from expect import Graph, check, short

PREFIX = """PREFIX schema: <https://schema.org/>
PREFIX tkg: <urn:timeline-kg:vocab#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
CLASS = {"person": "Person", "organization": "Organization", "location": "Place", "event": "Event"}


def select(store, q):
    return [tuple(None if t is None else t.value for t in row) for row in store.query(PREFIX + q)]


def check_store(store, exp, name):
    for kind, cls in CLASS.items():
        n = int(select(store, f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ ?n a schema:{cls} }}")[0][0])
        check(n == exp.kind_counts()[kind], f"{name}: schema:{cls} {n} != {exp.kind_counts()[kind]}")
    n = int(select(store, "SELECT (COUNT(?s) AS ?c) WHERE { ?s a rdf:Statement }")[0][0])
    check(n == len(exp.edges), f"{name}: {n} statements != {len(exp.edges)} edges")
    names = dict(select(store, "SELECT ?id ?name WHERE { ?n schema:identifier ?id ; schema:name ?name }"))
    for node in exp.nodes:
        check(names.get(node["id"]) == node["label"], f"{name}: name of {short(node['id'])}")
    rows = select(store, """
        SELECT ?id ?start ?agent WHERE {
          ?e a schema:Event ; schema:identifier ?id ; schema:startDate ?start ; schema:agent ?a .
          ?a schema:name ?agent .
        } ORDER BY ?start ?id ?agent""")
    want = exp.dated_agents(cleaned=False)
    check(rows == want, f"{name}: dated agents {short(rows)} != {short(want)}")
    with_evidence = sum(1 for e in exp.edges if e["evidence"])
    n = int(select(store, """SELECT (COUNT(DISTINCT ?s) AS ?c) WHERE {
        ?s a rdf:Statement ; tkg:evidence ?m . ?m tkg:document ?d ; tkg:start ?b ; tkg:end ?x }""")[0][0])
    check(n == with_evidence, f"{name}: {n} statements with evidence != {with_evidence}")
    return len(store), len(rows)


def main():
    graph_path, nt, ttl = sys.argv[1], sys.argv[2], sys.argv[3]
    exp = Graph(graph_path)
    sizes = []
    for path, fmt in [(nt, RdfFormat.N_TRIPLES), (ttl, RdfFormat.TURTLE)]:
        store = Store()
        store.load(path=path, format=fmt)
        sizes.append(check_store(store, exp, path))
    check(sizes[0] == sizes[1], f"N-Triples and Turtle differ: {sizes}")
    print(f"oxigraph: {sizes[0][0]} triples in each file, {len(exp.nodes)} typed nodes, "
          f"{len(exp.edges)} reified edges, {sizes[0][1]} dated agent rows in order")


if __name__ == "__main__":
    main()
