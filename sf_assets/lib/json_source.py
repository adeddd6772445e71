"""Line numbers of the keys and values of a JSON document, so errors can point into the file.

The stdlib `json` parses (its errors already carry line and column); `SourceMap` then walks the
same text once more with the stdlib's own string and number scanners and records, for every path
(`("relations", 0, "properties", 2, "op")`), the line of its key (or, for an array element, of
the element). No dependency: `json_source_map` and friends do the same, but one small walker over
text the stdlib has already accepted is less to trust than a second full parser.
"""

import re
from bisect import bisect_right
from json.decoder import scanstring
from json.scanner import NUMBER_RE

Path = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# The stdlib accepts NaN and Infinity unless told otherwise; they are walked like literals.
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")


class SourceMap:
    """Path → 1-based line; `duplicates` lists (path, line) of keys repeated within one object.

    Only for text that `json.loads` accepted: the walker assumes well-formed input.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[Path, int] = {}
        self.duplicates: list[tuple[Path, int]] = []
        self._value(self._skip(0), ())

    def line(self, path: Path) -> int | None:
        """The line of `path`, else of its nearest ancestor present in the document."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def _line_at(self, pos: int) -> int:
        return bisect_right(self._line_starts, pos)

    def _skip(self, pos: int) -> int:
        return _WHITESPACE.match(self._text, pos).end()

    def _value(self, pos: int, path: Path) -> int:
        """Record `path` at `pos` and return the position after its value."""
        self.lines.setdefault(path, self._line_at(pos))
        text = self._text
        char = text[pos]
        if char == "{":
            return self._object(self._skip(pos + 1), path)
        if char == "[":
            return self._array(self._skip(pos + 1), path)
        if char == '"':
            return scanstring(text, pos + 1)[1]
        number = NUMBER_RE.match(text, pos)
        if number:
            return number.end()
        literal = next(word for word in _LITERALS if text.startswith(word, pos))
        return pos + len(literal)

    def _object(self, pos: int, path: Path) -> int:
        text = self._text
        if text[pos] == "}":
            return pos + 1
        seen: set[str] = set()
        while True:
            key, after = scanstring(text, pos + 1)
            key_path = (*path, key)
            if key in seen:
                self.duplicates.append((key_path, self._line_at(pos)))
            seen.add(key)
            self.lines.setdefault(key_path, self._line_at(pos))
            pos = self._skip(self._value(self._skip(self._skip(after) + 1), key_path))
            if text[pos] == "}":
                return pos + 1
            pos = self._skip(pos + 1)  # past the comma

    def _array(self, pos: int, path: Path) -> int:
        text = self._text
        if text[pos] == "]":
            return pos + 1
        index = 0
        while True:
            pos = self._skip(self._value(pos, (*path, index)))
            if text[pos] == "]":
                return pos + 1
            pos = self._skip(pos + 1)
            index += 1
