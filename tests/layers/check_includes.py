#!/usr/bin/env python3
"""Every #include of a pgscrub header, and every link between the layers'
libraries, points down the layer order, never up.

    check_includes.py SOURCE_DIR

The layers, lowest first. A file in a layer may include headers of its own
layer and of the layers before it; cli/ sits on top. Tests, fuzz targets and
benchmarks may include anything. libcurl belongs to net/ alone, so every
request follows its one TLS and redirect policy (net/curl_policy.hpp): no
other layer includes <curl/...> or links libcurl. The same order is the add_subdirectory order
in the top-level CMakeLists.txt and the Layout table of the README; a header
that needs something from a higher layer is in the wrong folder, or needs an
interface in the lower one.
"""

import pathlib
import re
import sys

LAYERS = ["common", "net", "dump", "anonymise", "rules", "db", "scrub", "report", "media", "runbook", "cli"]
UNRESTRICTED = {"tests", "fuzz", "bench"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)
CURL_INCLUDE = re.compile(r'^\s*#\s*include\s+<curl/', re.M)
CURL_LAYER = "net"


def main():
    root = pathlib.Path(sys.argv[1])
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    problems = []
    checked = 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".cpp", ".hpp") or "build" in path.relative_to(root).parts[:1]:
            continue
        layer = path.relative_to(root).parts[0]
        if layer in UNRESTRICTED:
            continue
        if layer not in rank:
            problems.append(f"{path.relative_to(root)}: folder '{layer}' is not a layer; add it to LAYERS in {__file__}")
            continue
        text = path.read_text(encoding="utf-8")
        curl = CURL_INCLUDE.search(text)
        if curl and layer != CURL_LAYER:
            line = text.count("\n", 0, curl.start()) + 1
            problems.append(f"{path.relative_to(root)}:{line}: includes libcurl, which only {CURL_LAYER}/ uses "
                            f"(one TLS and redirect policy: net/curl_policy.hpp)")
        for match in INCLUDE.finditer(text):
            target = match.group(1)
            checked += 1
            line = text.count("\n", 0, match.start()) + 1
            if target not in rank:
                if target in UNRESTRICTED:
                    problems.append(f"{path.relative_to(root)}:{line}: includes from {target}/, which is not part of the program")
                continue
            if rank[target] > rank[layer]:
                problems.append(f"{path.relative_to(root)}:{line}: {layer}/ includes {match.group(0).split()[-1]}, "
                                f"from {target}/, a higher layer (order: {' <- '.join(LAYERS)})")
    # The libraries: <layer>/CMakeLists.txt links pgscrub_<lower layer> only.
    link = re.compile(r"target_link_libraries\((.*?)\)", re.S)
    for layer in LAYERS:
        cmake = root / layer / "CMakeLists.txt"
        if not cmake.exists():
            problems.append(f"{layer}/CMakeLists.txt is missing: every layer is its own library")
            continue
        for block in link.findall(cmake.read_text(encoding="utf-8")):
            for target in re.findall(r"\bpgscrub_([a-z]+)\b", block):
                if target in rank and rank[target] > rank[layer]:
                    problems.append(f"{layer}/CMakeLists.txt links pgscrub_{target}, a higher layer")
            if "PkgConfig::CURL" in block and layer != CURL_LAYER:
                problems.append(f"{layer}/CMakeLists.txt links libcurl, which only {CURL_LAYER}/ uses")
    for p in problems:
        print(p)
    print(f"{checked} includes checked, {len(problems)} against the layer order")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
