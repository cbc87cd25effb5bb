#!/usr/bin/env bash
# Regenerates graphs/ from examples/articles/: the JSON graph, the DOT file and, when
# Graphviz is installed, the rendered SVG. Run from the repository root.
set -euo pipefail
cargo build --release --quiet
tkg=target/release/tkg
"$tkg" build examples/articles/ -o graphs/examples.json
"$tkg" build examples/articles/ -f dot -o graphs/examples.dot
if command -v dot >/dev/null 2>&1; then
  dot -Tsvg graphs/examples.dot -o graphs/examples.svg
else
  echo "build_examples.sh: Graphviz 'dot' not found; graphs/examples.svg not regenerated" >&2
fi
