#!/usr/bin/env python3
"""Reruns every `$ tkg ...` example in docs/query.md on the example articles and writes the
real output back under it, so the page never shows stale output.

  python3 scripts/update_query_docs.py        (after cargo build --release; from the repo root)
"""
import os
import re
import shlex
import subprocess
import tempfile

DOC = "docs/query.md"
TKG = os.path.abspath("target/release/tkg")

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([TKG, "build", "examples/articles/", "-o", os.path.join(tmp, "graph.json")], check=True)
    os.symlink(os.path.abspath("examples"), os.path.join(tmp, "examples"))
    text = open(DOC, encoding="utf-8").read()

    def rerun(match):
        command = match.group(1)
        args = shlex.split(command)[1:]
        out = subprocess.run([TKG, *args], cwd=tmp, capture_output=True, text=True)
        body = (out.stdout + out.stderr).rstrip("\n")
        return "```console\n$ %s\n%s\n```" % (command, body) if body else "```console\n$ %s\n```" % command

    text = re.sub(r"```console\n\$ (tkg [^\n]*)\n.*?```", rerun, text, flags=re.S)
    open(DOC, "w", encoding="utf-8").write(text)
