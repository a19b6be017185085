#!/usr/bin/env python3
"""Code, tests, scripts and docs cite files in the repository, never paths outside it.

    no_outside_citations.py SOURCE_DIR     # exit 1 listing every FILE:LINE that does

A comment citing the project's working notes (the `shared` folder beside
the repository) points at a file a reader of the repository does not have.
Cite docs/ instead: the pg_dump layouts are in docs/archive-format.md (§N),
the rules file in docs/rules.md, run files in docs/runbook.md.

Checks every file git tracks or would track (every file under SOURCE_DIR but
build trees, when it is not a git checkout). Binary files (a NUL byte), such
as fuzz crash reproducers, are data, not citations, and are skipped.
"""

import os
import re
import subprocess
import sys

# A path that starts with the folder "shared" (also after "../" or "/"): the
# working notes beside the repository. Spelled in two parts so that this
# file, which is checked too, does not match itself.
OUTSIDE = re.compile(r"(?<![\w.-])(?:\.\./)*" + "shared" + r"/")


def tracked_files(root):
    try:
        command = ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        out = subprocess.run(command, check=True, capture_output=True).stdout
        return [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for directory, subdirs, names in os.walk(root):
            rel = os.path.relpath(directory, root)
            if rel == ".":
                subdirs[:] = [d for d in subdirs if d != ".git" and not d.startswith("build")]
            files += [os.path.normpath(os.path.join(rel, n)) for n in names]
        return files


def main():
    root = sys.argv[1]
    found = []
    for name in tracked_files(root):
        try:
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
        except OSError:
            continue  # listed by git but deleted in the work tree
        if b"\0" in data:
            continue
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    if found:
        print("These lines cite a path outside the repository; cite docs/ instead", file=sys.stderr)
        print("(docs/archive-format.md §N for pg_dump layouts, docs/rules.md, docs/runbook.md):", file=sys.stderr)
        for line in found:
            print("  " + line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
