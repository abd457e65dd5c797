"""The frontmatter against the format's JSON Schema (spec/schema/cubemark-v1.schema.json, JSON Schema 2020-12),
with each problem mapped to the format's code as spec §17 says. Uses Debian's python3-jsonschema."""
import json
import os
import re
from functools import lru_cache

import jsonschema

_HERE = os.path.dirname(os.path.abspath(__file__))
# The format's own schema file: CUBEMARK_SCHEMA, else the repository's spec/schema (one definition, never a copy).
_CANDIDATES = [
    os.environ.get("CUBEMARK_SCHEMA", ""),
    os.path.join(_HERE, "..", "..", "spec", "schema", "cubemark-v1.schema.json"),
]

_DATE_TIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)


def _is_date_time(value):
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    y, m, d = int(value[0:4]), int(value[5:7]), int(value[8:10])
    days = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return d <= days[m - 1]


@lru_cache(maxsize=1)
def _validator():
    path = next((p for p in _CANDIDATES if p and os.path.exists(p)), None)
    if path is None:
        raise FileNotFoundError("the cubemark JSON Schema was not found: set CUBEMARK_SCHEMA to spec/schema/cubemark-v1.schema.json")
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(_is_date_time)
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def _pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _field(path):
    if not path:
        return "the document"
    last = path[-1]
    if isinstance(last, int) and len(path) > 1:
        return f"'{path[-2]}/{last}'"
    return f"'{last}'"


def _leaves(error):
    """The deepest errors under combinators (`if`/`then`, `$ref`), as a validator that stops at the first reports."""
    if error.context:
        out = []
        for e in error.context:
            out.extend(_leaves(e))
        return out
    return [error]


def _problem(e):
    path = list(e.absolute_path)
    at = _pointer(path)
    field = _field(path)
    kw = e.validator
    if at == "/name" and kw in ("pattern", "maxLength"):
        # Spec §4: a bad publication name is one problem with one code, whichever part of the rule it breaks.
        return ("INVALID_NAME", f"{json.dumps(e.instance)} is not a valid publication name: {e.message}", at, False)
    if kw == "required":
        missing = re.search(r"'([^']+)' is a required property", e.message)
        name = missing.group(1) if missing else "?"
        return ("MISSING_VERSION" if at == "" and name == "cubemark" else "REQUIRED", f"{field} is missing required key '{name}'", at, False)
    if kw in ("additionalProperties", "unevaluatedProperties"):
        allowed = set(e.schema.get("properties", {}))
        extra = [k for k in e.instance if k not in allowed] if isinstance(e.instance, dict) else []
        k = extra[0] if extra else "?"
        return ("UNKNOWN_KEY", f"{field} has unknown key '{k}'", f"{at}/{_pointer([k])[1:]}", True)
    if kw == "type":
        return ("TYPE", f"{field} must be {e.validator_value}", at, False)
    if kw == "enum" and at == "/cubemark":
        return ("UNSUPPORTED_VERSION", "'cubemark' must be 1 or 1.1: this reader knows format versions 1 and 1.1 only", at, False)
    if kw == "enum":
        return ("ENUM", f"{field} must be one of {', '.join(json.dumps(v) for v in e.validator_value)}", at, False)
    if kw == "const":
        if at == "/cubemark":
            return ("UNSUPPORTED_VERSION", "'cubemark' must be 1: this reader knows format version 1 only", at, False)
        return ("ENUM", f"{field} must be {json.dumps(e.validator_value)}", at, False)
    if kw in ("pattern", "format"):
        return ("PATTERN", f"{field} {e.message}", at, False)
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return ("RANGE", f"{field} {e.message}", at, False)
    if kw in ("minItems", "maxItems", "minLength", "maxLength"):
        return ("LENGTH", f"{field} {e.message}", at, False)
    if kw in ("not", "propertyNames"):
        return ("FORBIDDEN_KEY", f"{field} has a key that is not allowed", at, True)
    return ("SCHEMA", f"{field} {e.message}", at, False)


def validate_schema(value):
    """The first schema problem as (code, message, pointer, key), or None when the value matches the schema."""
    errors = list(_validator().iter_errors(value))
    if not errors:
        return None
    leaves = []
    for e in errors:
        leaves.extend(_leaves(e))
    # The first in document order (shallowest path first among equals), as a depth-first validator finds it.
    leaves.sort(key=lambda e: [(0, p) if isinstance(p, int) else (1, str(p)) for p in e.absolute_path])
    return _problem(leaves[0])
