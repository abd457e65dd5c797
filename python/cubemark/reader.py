"""Read a ``.cube.md`` file (spec §17): size, encoding, fences, YAML, document, version, schema, semantics — each
stage stopping the read when it finds a problem — then the model as plain objects."""
import re

from .errors import FormatError, InvalidDocumentError
from .model import Composer, check_semantics
from .schema import validate_schema
from .yaml12 import read_yaml

MAX_BYTES = 32 * 1024 * 1024
FORMAT_VERSIONS = (1, 1.1)
FORMAT_VERSION = 1.1  # the newest: what `cubemark fmt --migrate` writes
_OPEN = re.compile(r"^---[ \t]*\r?\n")
_CLOSE = re.compile(r"^---[ \t]*(?:\r?\n|$)", re.M)


class ParseResult:
    """``publication`` (a dict) when the file is valid, ``errors`` (FormatErrors), and the Markdown ``body``."""

    def __init__(self, publication=None, errors=(), body="", frontmatter=""):
        self.publication = publication
        self.errors = list(errors)
        self.body = body
        self.frontmatter = frontmatter

    @property
    def valid(self):
        return not self.errors


def _utf8_position(data, offset):
    """1-based line and byte column of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def _first_invalid_utf8(data):
    try:
        data.decode("utf-8")
        return -1
    except UnicodeDecodeError as e:
        return e.start


def parse(data, file=None, max_bytes=MAX_BYTES, max_depth=64):
    """Read a ``.cube.md`` file's bytes (or text). Never raises for bad input: problems are ``result.errors``."""

    def fail(code, message, line=1, column=1):
        return ParseResult(errors=[FormatError(code, message, line, column, "", file)])

    if isinstance(data, str):
        if len(data) > max_bytes:
            return fail("FILE_TOO_LARGE", f"the file has {len(data)} characters; the limit is {max_bytes} bytes")
        text = data
    else:
        if len(data) > max_bytes:
            return fail("FILE_TOO_LARGE", f"the file is {len(data)} bytes; the limit is {max_bytes}")
        bad = _first_invalid_utf8(data)
        if bad >= 0:
            line, column = _utf8_position(data, bad)
            return fail("INVALID_ENCODING", f"byte 0x{data[bad]:02x} at offset {bad} is not valid UTF-8: save the file as UTF-8", line, column)
        text = data.decode("utf-8")

    t = text[1:] if text.startswith("\ufeff") else text
    m = _OPEN.match(t)
    if not m:
        return fail("NO_FRONTMATTER", "the file must start with a `---` line opening the YAML frontmatter")
    rest = t[m.end():]
    close = _CLOSE.search(rest)
    if not close:
        return fail("UNTERMINATED_FRONTMATTER", f"the frontmatter opened on line 1 has no closing `---` line (checked {len(t.split(chr(10)))} lines)")
    frontmatter = rest[: close.start()]
    body = rest[close.end():]
    yaml_line = 2

    located, yaml_problems = read_yaml(frontmatter, max_depth)

    def at(pointer, key=False):
        line, column = located.at(pointer, key)
        return line + yaml_line - 1, column

    def done(problems, publication=None):
        errors = []
        for code, message, pointer, key in problems:
            line, column = at(pointer, key)
            errors.append(FormatError(code, message, line, column, pointer, file))
        return ParseResult(publication if not errors else None, errors, body, frontmatter)

    if yaml_problems:
        return ParseResult(
            errors=[FormatError(p.code, p.message, p.line + yaml_line - 1, p.column, p.pointer, file) for p in yaml_problems],
            body=body,
            frontmatter=frontmatter,
        )
    raw = located.value
    if not isinstance(raw, dict):
        return done([("TYPE", "the frontmatter must be a mapping of keys to values", "", False)])
    if "cubemark" not in raw:
        return done([("MISSING_VERSION", f"no 'cubemark' key: add 'cubemark: {FORMAT_VERSION}' as the first line", "", False)])
    version = raw["cubemark"]
    if isinstance(version, (int, float)) and not isinstance(version, bool) and version > FORMAT_VERSION:
        return done([("UNSUPPORTED_VERSION", f"the file is cubemark format version {version}; this reader knows versions 1 and 1.1: upgrade cubemark to read it", "/cubemark", False)])
    problem = validate_schema(raw)
    if problem:
        return done([problem])
    composer = Composer(1 if version == 1 else version)
    publication = composer.publication(raw)
    return done(composer.problems + check_semantics(publication, composer.undecoded), publication)


def read(path):
    """The publication (a dict) of a ``.cube.md`` file; raises ``InvalidDocumentError`` listing its problems."""
    with open(path, "rb") as f:
        result = parse(f.read(), file=str(path))
    if not result.valid:
        raise InvalidDocumentError(result.errors)
    return result.publication
