"""What a consumer must find after loading an export: computed from the JSON graph that
`tkg export` read, independently of the exporters."""
import datetime
import json
import re

KIND_LABEL = {"person": "Person", "organization": "Organization", "location": "Location", "event": "Event"}
REL_TYPE = {r: r.upper() for r in ["agent", "patient", "participant", "located_in", "role", "before"]}
_BAD = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]")


def clean(s):
    """The exporters' treatment of control characters that Cypher, CSV and XML consumers
    cannot hold (mod.rs `clean`): each becomes a space."""
    return None if s is None else _BAD.sub(" ", s)


class Graph:
    def __init__(self, path):
        with open(path, encoding="utf-8") as fh:
            self.data = json.load(fh)
        self.nodes = self.data["nodes"]
        self.edges = self.data["edges"]
        self.documents = self.data["graph"]["documents"]
        self.by_id = {n["id"]: n for n in self.nodes}

    def kind_counts(self):
        out = {k: 0 for k in KIND_LABEL}
        for n in self.nodes:
            out[n["kind"]] += 1
        return out

    def relation_counts(self):
        out = {}
        for e in self.edges:
            out[e["relation"]] = out.get(e["relation"], 0) + 1
        return out

    def dated_agents(self, cleaned=True):
        """(event id, first day, agent name) for every agent edge of a dated event,
        sorted by day, then event id, then name."""
        f = clean if cleaned else (lambda s: s)
        rows = []
        for e in self.edges:
            if e["relation"] != "agent":
                continue
            ev = self.by_id[e["target"]]
            if ev.get("date_start"):
                rows.append((ev["date_start"], f(ev["id"]), f(self.by_id[e["source"]]["label"])))
        return [(i, d, n) for d, i, n in sorted(rows)]

    def busiest_entity(self):
        """The entity with the most agent edges to dated events (None if there is none)."""
        count = {}
        for e in self.edges:
            if e["relation"] == "agent" and self.by_id[e["target"]].get("date_start"):
                count[e["source"]] = count.get(e["source"], 0) + 1
        if not count:
            return None
        return sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


    def events_of(self, entity_id):
        """(first day, event id) of the dated events linked to the entity either way,
        sorted; ids cleaned as the Cypher export writes them."""
        out = set()
        for e in self.edges:
            for a, b in ((e["source"], e["target"]), (e["target"], e["source"])):
                if a == entity_id and self.by_id[b]["kind"] == "event" and self.by_id[b].get("date_start"):
                    out.add((self.by_id[b]["date_start"], clean(b)))
        return sorted(out)


def last_day(start, end):
    s = datetime.date.fromisoformat(start)
    e = datetime.date.fromisoformat(end) - datetime.timedelta(days=1)
    return max(s, e).isoformat()


def short(x, n=300):
    """A repr cut to n characters, for messages about 100 kB labels."""
    r = repr(x)
    return r if len(r) <= n else r[:n] + f"... ({len(r)} chars)"


def check(cond, what):
    if not cond:
        raise AssertionError(short(what, 2000))
