#!/usr/bin/env python3
"""Does a rules file (version 1) cover a dump? A stopgap until `pgscrub check
-r RULES --dump IN` exists; keep it simple.

    check_rules_coverage.py INSPECT.json RULES.yaml [--text INSPECT.txt]
                            [--contains PRESET.yaml ...]

INSPECT.json is `pgscrub inspect --json DUMP` of a custom, directory or tar
archive; INSPECT.txt (optional) is `pgscrub inspect DUMP` of the same archive,
read for what the JSON does not carry yet: single-column UNIQUE/PRIMARY KEY
flags and partition parents ("child of"). Without it, the unique-column check
is skipped and partitions need rules of their own.

Errors (exit 1):
  - a table with data that no rule names (directly or through a partition or
    inheritance parent), under unlisted_tables: fail;
  - a column in the table's data that its rule does not name, under
    unlisted_columns: fail; a column named twice; a table named twice;
  - `null` on a NOT NULL column;
  - anything but keep, pseudonym or fake_email on a UNIQUE or PRIMARY KEY
    column (needs --text);
  - an unknown transform or parameter (the transforms of shared/DESIGN.md v1);
  - with --contains: a table rule of PRESET.yaml missing from RULES.yaml or
    different there (the copies that rules v1, which has no include, forces).
Warnings: rules naming tables or columns the dump lacks, and generated
columns (never in the data; recomputed on restore).
Exit 2: a file that cannot be read or parsed.
Not checked: truncating a table that kept tables reference (the inspect
output has no foreign keys), transforms that do not fit a column's type.
"""
import argparse
import json
import re
import sys

import yaml

# Transforms of rules v1 and their parameters (shared/DESIGN.md).
TRANSFORMS = {
    "keep": set(), "null": set(), "set": {"value"},
    "pseudonym": {"prefix", "suffix", "length"}, "fake_email": {"domain"},
    "fake_first_name": set(), "fake_last_name": set(), "fake_name": set(),
    "fake_phone": set(), "fake_ip": set(),
    "mask": {"keep_start", "keep_end", "char"}, "redact": {"kinds", "replacement"},
    "regex_replace": {"pattern", "replacement"}, "template": {"format"},
    "json": {"paths", "others"}, "array": {"each"},
}
FIT_FOR_UNIQUE = {"keep", "pseudonym", "fake_email"}


class Problems:
    def __init__(self):
        self.errors, self.warnings = [], []

    def error(self, where, text):
        self.errors.append(f"{where}: error: {text}")

    def warning(self, where, text):
        self.warnings.append(f"{where}: warning: {text}")


def at(path, node):
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def scalar(node):
    return node.value if isinstance(node, yaml.ScalarNode) else None


def mapping_items(node, path, problems, what):
    """(key, value) node pairs of a mapping, reporting duplicate keys."""
    seen = {}
    for k, v in node.value:
        name = scalar(k)
        if name in seen:
            problems.error(at(path, k), f"{what} \"{name}\" appears twice (first at line {seen[name]})")
            continue
        seen[name] = k.start_mark.line + 1
        yield k, v


def transform_name(node):
    """The transform a column rule names, and its node, e.g. ('fake_email', node)."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" or node.value in ("", "null", "~"):
            return "null", node
        return node.value, node
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if scalar(k) == "transform":
                return ("null" if v.tag == "tag:yaml.org,2002:null" else v.value), v
    return None, node


def check_transform(node, path, problems):
    name, where = transform_name(node)
    if name is None:
        problems.error(at(path, node), "expected a transform name or {transform: NAME, ...}")
        return None
    if name not in TRANSFORMS:
        problems.error(at(path, where), f"unknown transform \"{name}\" — expected one of {', '.join(sorted(TRANSFORMS))}")
        return name
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = scalar(k)
            if key == "transform":
                continue
            if key not in TRANSFORMS[name]:
                allowed = ", ".join(sorted(TRANSFORMS[name])) or "none"
                problems.error(at(path, k), f"transform {name} has no parameter \"{key}\" — its parameters: {allowed}")
            elif key == "paths":
                for pk, pv in mapping_items(v, path, problems, "JSON path"):
                    check_transform(pv, path, problems)
            elif key in ("others", "each"):
                check_transform(v, path, problems)
    return name


class Rule:
    def __init__(self, node_key, kind):
        self.node_key, self.kind = node_key, kind  # kind: keep | truncate | columns
        self.columns = {}  # column -> (transform name, key node)
        self.used = False


def load_rules(path, problems):
    try:
        with open(path, encoding="utf-8") as f:
            root = yaml.compose(f)
    except (OSError, yaml.YAMLError) as e:
        sys.exit(f"{path}: cannot read the rules: {e}")
    if not isinstance(root, yaml.MappingNode):
        sys.exit(f"{path}: the rules file is not a mapping")
    policies = {"unlisted_tables": "fail", "unlisted_columns": "fail"}
    rules = {}
    for k, v in mapping_items(root, path, problems, "key"):
        key = scalar(k)
        if key in policies:
            policies[key] = scalar(v)
        elif key == "tables":
            for tk, tv in mapping_items(tv_or_empty(v), path, problems, "table"):
                name = scalar(tk)
                schema, _, table = name.partition(".") if "." in name else ("public", "", name)
                if isinstance(tv, yaml.ScalarNode) and tv.value in ("keep", "truncate"):
                    rules[(schema, table)] = Rule(tk, tv.value)
                    continue
                if not isinstance(tv, yaml.MappingNode):
                    problems.error(at(path, tv), f"table \"{name}\": expected keep, truncate or a mapping with keep: and columns:")
                    continue
                rule = Rule(tk, "columns")
                for ck, cv in tv.value:
                    part = scalar(ck)
                    if part == "keep":
                        for col in cv.value:
                            add_column(rule, col.value, "keep", col, path, name, problems)
                    elif part == "columns":
                        for colk, colv in mapping_items(cv, path, problems, "column"):
                            tname = check_transform(colv, path, problems)
                            add_column(rule, colk.value, tname, colk, path, name, problems)
                    else:
                        problems.error(at(path, ck), f"table \"{name}\": unknown key \"{part}\" — expected keep: and columns:")
                rules[(schema, table)] = rule
    return policies, rules


def tv_or_empty(node):
    return node if isinstance(node, yaml.MappingNode) else yaml.MappingNode("tag:yaml.org,2002:map", [])


def add_column(rule, column, transform, node, path, table, problems):
    if column in rule.columns:
        problems.error(at(path, node), f"column \"{column}\" of table \"{table}\" is named twice")
        return
    rule.columns[column] = (transform, node)


def parse_identifier_pair(text):
    """'analytics.page_views' or '"CRM"."Newsletter Signup"' -> (schema, name)."""
    parts = re.findall(r'"((?:[^"]|"")*)"|([^."]+)', text)
    names = [q.replace('""', '"') if q else p for q, p in parts]
    return (names[0], names[1]) if len(names) == 2 else ("public", names[0])


def read_text(path):
    """dump id -> {'unique': set of columns, 'parent': (schema, name) or None}."""
    info, current = {}, None
    with open(path, encoding="utf-8") as f:
        in_tables = False
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Tables with data:"):
                in_tables = True
                continue
            if not in_tables:
                continue
            if line and not line.startswith(" "):
                break
            m = re.match(r"^  \S.*  \(TOC entry (\d+)\):", line)
            if m:
                current = info.setdefault(int(m.group(1)), {"unique": set(), "parent": None})
                continue
            if current is None or not line.startswith("      "):
                continue
            body = line[6:]
            m = re.match(r"^\(child of (.+)\)$", body)
            if m:
                current["parent"] = parse_identifier_pair(m.group(1))
                continue
            column, _, rest = body.partition("  ")
            if rest.endswith(" UNIQUE") or rest.endswith(" PRIMARY KEY"):
                current["unique"].add(column)
    return info


def check_contains(rules_path, preset_path, problems):
    """Every table rule of the preset appears, node for node, in the rules."""
    def tables_of(path):
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        return data.get("tables") or {}
    mine, preset = tables_of(rules_path), tables_of(preset_path)
    for table, rule in preset.items():
        if table not in mine:
            problems.error(rules_path, f"table \"{table}\" of {preset_path} is missing here")
        elif mine[table] != rule:
            problems.error(rules_path, f"the rule for \"{table}\" differs from the one in {preset_path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inspect_json")
    ap.add_argument("rules")
    ap.add_argument("--text", help="`pgscrub inspect DUMP` output of the same archive")
    ap.add_argument("--contains", action="append", default=[], metavar="PRESET.yaml")
    args = ap.parse_args()

    problems = Problems()
    policies, rules = load_rules(args.rules, problems)
    try:
        with open(args.inspect_json, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{args.inspect_json}: cannot read: {e}")
    if report.get("format") == "plain":
        sys.exit(f"{args.inspect_json}: plain dumps carry no column types; inspect a custom, directory or tar archive")
    text = read_text(args.text) if args.text else {}

    tables_checked = columns_checked = 0
    for t in report["tables"]:
        key = (t["schema"], t["name"])
        display = f"{t['schema']}.{t['name']}"
        rule = rules.get(key)
        parent = text.get(t["dump_id"], {}).get("parent")  # the direct parent only (the text names no more)
        if rule is None and parent is not None:
            rule = rules.get(parent)
        tables_checked += 1
        if rule is None:
            if policies["unlisted_tables"] == "fail":
                problems.error(args.rules, f"table {display} has data ({t['rows']} rows) but no rule names it")
            continue
        rule.used = True
        if rule.kind != "columns":
            continue
        unique = text.get(t["dump_id"], {}).get("unique", set())
        names = {c["name"] for c in t["columns"]}
        for c in t["columns"]:
            columns_checked += 1
            named = rule.columns.get(c["name"])
            if c["generated"] or not c["in_copy_data"]:
                if named:
                    problems.warning(at(args.rules, named[1]), f"column {display}.\"{c['name']}\" is generated: it is not in the data and is recomputed on restore")
                continue
            if named is None:
                if policies["unlisted_columns"] == "fail":
                    problems.error(at(args.rules, rule.node_key), f"column \"{c['name']}\" ({c['type']}) of table {display} is not named by its rule")
                continue
            transform, node = named
            if transform == "null" and c["not_null"]:
                problems.error(at(args.rules, node), f"column {display}.\"{c['name']}\" is NOT NULL: null would not restore")
            if c["name"] in unique and transform not in FIT_FOR_UNIQUE:
                problems.error(at(args.rules, node), f"column {display}.\"{c['name']}\" is UNIQUE: {transform} can map distinct values to one — use keep, pseudonym or fake_email")
        for column, (transform, node) in rule.columns.items():
            if column not in names:
                problems.warning(at(args.rules, node), f"table {display} has no column \"{column}\"")
    for (schema, table), rule in rules.items():
        if not rule.used:
            problems.warning(at(args.rules, rule.node_key), f"the dump has no table {schema}.{table} with data")
    for preset in args.contains:
        check_contains(args.rules, preset, problems)

    for line in problems.errors + problems.warnings:
        print(line)
    print(f"{args.rules}: {tables_checked} tables with data, {columns_checked} columns, {len(rules)} table rules: "
          f"{len(problems.errors)} errors, {len(problems.warnings)} warnings"
          + ("" if args.text else " (no --text: UNIQUE columns and partitions not checked)"))
    return 1 if problems.errors else 0


if __name__ == "__main__":
    sys.exit(main())
