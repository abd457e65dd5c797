"""Errors of the cubemark Python reader: the codes of the format specification (spec/cubemark-v1.md §18)."""


class CubemarkError(Exception):
    """Root of every cubemark error: a stable ``code`` and a message that says what to do."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class FormatError(CubemarkError):
    """A problem in a ``.cube.md`` file, at a 1-based line and column, with a JSON pointer into the frontmatter."""

    def __init__(self, code, message, line=1, column=1, pointer="", file=None):
        super().__init__(code, message)
        self.line = line
        self.column = column
        self.pointer = pointer
        self.file = file

    def format(self):
        """``path:line:col CODE message``, as the command line prints it."""
        return f"{self.file or '<input>'}:{self.line}:{self.column} {self.code} {self.message}"

    def to_dict(self):
        return {"code": self.code, "message": self.message, "line": self.line, "column": self.column, "pointer": self.pointer}

    def __repr__(self):
        return f"FormatError({self.format()!r})"


class InvalidDocumentError(CubemarkError):
    """Raised by ``read`` when a file has errors; ``errors`` lists them."""

    def __init__(self, errors):
        first = errors[0] if errors else None
        super().__init__(first.code if first else "SCHEMA", f"{len(errors)} problem(s); first: {first.format() if first else 'unknown'}")
        self.errors = errors
