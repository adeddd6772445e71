"""SOQL: parse the text, compile it to SQLite over the store's tables, describe the result's columns."""

from .compiler import CompiledQuery, OutputColumn, compile_query
from .parser import parse

__all__ = ["CompiledQuery", "OutputColumn", "compile_query", "parse"]
