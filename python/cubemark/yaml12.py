"""The frontmatter's YAML, read as the format requires (spec §3): YAML 1.2 core schema, no anchors, aliases or
tags, no duplicate or prototype keys, bounded depth, exact integers. Built from PyYAML's event stream, so every
value keeps its position and nothing is constructed that the format forbids."""
import math
import re

import yaml

FORBIDDEN_KEYS = {"__proto__", "constructor", "prototype"}
MAX_SAFE = 2**53 - 1

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


class YamlProblem:
    def __init__(self, code, message, line, column, pointer=""):
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.pointer = pointer


def _esc(key):
    return str(key).replace("~", "~0").replace("/", "~1")


def resolve_plain(text):
    """The value of a plain scalar under the YAML 1.2 core schema (dates stay strings)."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


class Located:
    """A plain value with positions: ``at(pointer, key)`` is the 1-based line and column of a value (or its key)."""

    def __init__(self, value, positions, key_positions):
        self.value = value
        self._positions = positions
        self._keys = key_positions

    def at(self, pointer, key=False):
        if key and pointer in self._keys:
            return self._keys[pointer]
        p = pointer
        while True:
            if p in self._positions:
                return self._positions[p]
            if p == "":
                return (1, 1)
            p = p[: p.rfind("/")]


def read_yaml(text, max_depth=64):
    """Read the frontmatter text: (Located, [YamlProblem]). Positions are 1-based, relative to the text."""
    problems = []
    positions = {}
    key_positions = {}
    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (e.problem or str(e)).strip()
        code = "TAB_INDENT" if "'\\t'" in problem or "tab" in problem.lower() else "YAML_SYNTAX"
        if code == "TAB_INDENT":
            problem = "tabs are not allowed as indentation"
        return Located(None, {}, {}), [YamlProblem(code, problem, line, column)]

    pos = 0

    def mark(event):
        # Where the node's content starts: after an anchor (`&a`) or a tag (`!!str`), as positions are reported.
        m = event.start_mark
        if not (getattr(event, "anchor", None) or getattr(event, "tag", None)) or isinstance(event, yaml.AliasEvent):
            return (m.line + 1, m.column + 1)
        i = m.index
        while i < len(text) and text[i] in "&!":
            while i < len(text) and not text[i].isspace():
                i += 1
            while i < len(text) and text[i] in " \t":
                i += 1
        line = text.count("\n", 0, i) + 1
        return (line, i - (text.rfind("\n", 0, i) + 1) + 1)

    def check_node(event, path):
        anchor = getattr(event, "anchor", None)
        if anchor:
            problems.append(YamlProblem("YAML_ALIAS", f"anchor &{anchor} is not allowed", *mark(event), path))
        tag = getattr(event, "tag", None)
        if tag is not None:
            problems.append(YamlProblem("YAML_TAG", f"tag {tag} is not allowed", *mark(event), path))

    def build(path, depth):
        nonlocal pos
        event = events[pos]
        pos += 1
        positions.setdefault(path, mark(event))
        if isinstance(event, yaml.AliasEvent):
            problems.append(YamlProblem("YAML_ALIAS", f"alias *{event.anchor} is not allowed: write the value out", *mark(event), path))
            return None
        if depth > max_depth:
            problems.append(YamlProblem("TOO_DEEP", f"nesting is deeper than {max_depth} levels", *mark(event), path))
            # Skip the whole subtree.
            level = 0 if isinstance(event, yaml.ScalarEvent) else 1
            while level > 0:
                e = events[pos]
                pos += 1
                if isinstance(e, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    level += 1
                elif isinstance(e, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    level -= 1
            return None
        check_node(event, path)
        if isinstance(event, yaml.ScalarEvent):
            if event.style is None and event.tag is None:
                value = resolve_plain(event.value)
                if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE and _INT10.match(event.value):
                    problems.append(YamlProblem("VALUE_RANGE", f"integer {event.value} is beyond 2^53 and would lose precision: quote it", *mark(event), path))
                return value
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            out = []
            while not isinstance(events[pos], yaml.SequenceEndEvent):
                out.append(build(f"{path}/{len(out)}", depth + 1))
            pos += 1
            return out
        if isinstance(event, yaml.MappingStartEvent):
            out = {}
            seen = {}
            while not isinstance(events[pos], yaml.MappingEndEvent):
                key_event = events[pos]
                if isinstance(key_event, yaml.ScalarEvent):
                    pos += 1
                    check_node(key_event, path)
                    # A plain key is its text, as written (`1.0:` is the key "1.0").
                    key = key_event.value
                    child = f"{path}/{_esc(key)}"
                    kpos = mark(key_event)
                    if key in seen:
                        first = seen[key]
                        problems.append(YamlProblem("DUPLICATE_KEY", f"key '{key}' appears twice (first at {first[0]}:{first[1]})", *kpos, path))
                        build(child + "\0dup", depth + 1)
                        continue
                    seen[key] = kpos
                    key_positions[child] = kpos
                    if key in FORBIDDEN_KEYS:
                        problems.append(YamlProblem("FORBIDDEN_KEY", f"key '{key}' is not allowed", *kpos, child))
                        build(child + "\0forbidden", depth + 1)
                        continue
                    out[key] = build(child, depth + 1)
                else:
                    problems.append(YamlProblem("YAML_SYNTAX", "keys must be plain strings", *mark(key_event), path))
                    build(path + "\0badkey", depth + 1)
                    build(path + "\0badvalue", depth + 1)
            pos += 1
            return out
        return None

    value = None
    while pos < len(events):
        event = events[pos]
        if isinstance(event, yaml.DocumentStartEvent):
            pos += 1
            if isinstance(events[pos], yaml.DocumentEndEvent):
                break
            value = build("", 0)
            continue
        pos += 1
    # One report per kind of forbidden construct: an alias bomb has hundreds.
    aliases = [p for p in problems if p.code == "YAML_ALIAS"]
    if len(aliases) > 1:
        n = len(aliases) - 1
        aliases[0].message += f" (and {n} more anchor{'' if n == 1 else 's'} or alias{'' if n == 1 else 'es'})"
        problems = [p for p in problems if p.code != "YAML_ALIAS" or p is aliases[0]]
    return Located(value, positions, key_positions), problems
