#!/usr/bin/env python3
"""docs/commands.md's option tables are generated from the commands' specs.

    commands_options.py PGSCRUB docs/commands.md            # check: exit 1 on a difference
    commands_options.py PGSCRUB docs/commands.md --update   # rewrite the tables in place

`pgscrub help --markdown` prints each command's table between markers,
<!-- options:NAME --> ... <!-- /options:NAME -->. The same markers in
docs/commands.md hold the generated tables; the prose around them is written
by hand. Every command's block must be in the docs exactly once.
"""

import difflib
import re
import subprocess
import sys

BLOCK = re.compile(r"<!-- options:([a-z][a-z -]*[a-z]) -->\n(.*?)<!-- /options:\1 -->\n", re.S)


def main():
    pgscrub, docs_path = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    generated = subprocess.run([pgscrub, "help", "--markdown"], check=True, capture_output=True, text=True).stdout
    tables = {name: body for name, body in BLOCK.findall(generated)}
    if not tables:
        print(f"{pgscrub} help --markdown printed no option tables", file=sys.stderr)
        return 1
    with open(docs_path, encoding="utf-8") as f:
        docs = f.read()
    problems = []
    found = [name for name, _ in BLOCK.findall(docs)]
    for name in tables:
        if found.count(name) != 1:
            problems.append(f"{docs_path}: needs exactly one <!-- options:{name} --> ... <!-- /options:{name} --> block "
                            f"(has {found.count(name)}): put it where the options of pgscrub {name} are described")
    for name in found:
        if name not in tables:
            problems.append(f"{docs_path}: <!-- options:{name} --> names no pgscrub command")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    spliced = BLOCK.sub(lambda m: f"<!-- options:{m[1]} -->\n{tables[m[1]]}<!-- /options:{m[1]} -->\n", docs)
    if spliced == docs:
        return 0
    if update:
        with open(docs_path, "w", encoding="utf-8") as f:
            f.write(spliced)
        print(f"{docs_path}: option tables updated")
        return 0
    sys.stdout.writelines(difflib.unified_diff(docs.splitlines(True), spliced.splitlines(True), docs_path, "pgscrub help --markdown"))
    print(f"{docs_path}: the option tables differ from what pgscrub help --markdown writes; regenerate them with\n"
          f"  python3 {sys.argv[0]} {pgscrub} {docs_path} --update", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
