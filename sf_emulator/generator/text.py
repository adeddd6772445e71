"""Plausible text: pools of values chosen by field type and name, prose, phone numbers."""

import re
from collections.abc import Callable
from random import Random

from ..store.schema import FieldDef
from . import words as W
from .columns import choice
from .table import Factory, Gen

_POOL_SIZE = 200


def slug(text: str) -> str:
    """'VP, Sales' → 'VP_Sales': the developer-name form of a label."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_") or "X"


def sentence(rng: Random, low: int = 4, high: int = 14) -> str:
    text = " ".join(rng.choice(W.LOREM) for _ in range(rng.randint(low, high)))
    return text[0].upper() + text[1:] + "."


def phone(rng: Random) -> str:
    return f"({rng.randint(201, 989)}) 555-{rng.randint(100, 9999):04d}"


def text_pool(gen: Gen, f: FieldDef, rng: Random) -> list[str]:
    """Plausible values for a text field, chosen by type and by what the field's name suggests."""
    name = f.name.lower().removesuffix("__c")
    make = _text_maker(name, f.type, f.label or f.name)
    length = f.length or 255
    pool = [make(rng)[:length].rstrip() or "x" for _ in range(_POOL_SIZE)]
    return pool


def _text_maker(name: str, type_: str, label: str) -> Callable[[Random], str]:  # a lookup table in code form
    if type_ == "email":
        return lambda r: W.email(r.choice(W.FIRST_NAMES), r.choice(W.LAST_NAMES), W.domain(_company(r)))
    if type_ == "phone" or name.endswith(("phone", "fax")):
        return phone
    if type_ == "url" or name.endswith(("website", "url")):
        return lambda r: f"https://www.{W.domain(_company(r))}"
    if type_ == "encryptedstring":
        return lambda r: "".join(r.choice("0123456789") for _ in range(12))
    if name.endswith("street"):
        return lambda r: f"{r.randint(1, 9999)} {r.choice(W.STREETS)}"
    for position, suffix in enumerate(("city", "state", "postalcode", "country")):
        if name.endswith(suffix):
            return lambda r, k=position: r.choice(W.CITIES)[k] or r.choice(W.CITIES)[0]
    if name.endswith("extension"):
        return lambda r: f"x{r.randint(100, 9999)}"
    if type_ == "textarea" or name.endswith(("description", "comments", "comment", "note", "body", "reason")):
        return lambda r: " ".join(sentence(r) for _ in range(r.randint(1, 3)))
    if name.endswith("title"):
        return lambda r: r.choice(W.TITLES)
    if name.endswith(("department", "division")):
        return lambda r: r.choice(W.DEPARTMENTS)
    if "company" in name or name in ("site", "tradestyle"):
        return _company
    if name.endswith(("firstname", "middlename")):
        return lambda r: r.choice(W.FIRST_NAMES)
    if name.endswith(("lastname", "name")) and "user" not in name:
        if name.endswith("lastname") or "assistant" in name or "sender" in name or "supplied" in name:
            return lambda r: r.choice(W.LAST_NAMES) if name.endswith("lastname") else _person(r)
        stem = label.removesuffix(" Name").strip() or "Item"
        return lambda r: f"{stem} {r.randint(1, 99999):05d}"
    if name.endswith(("sic", "naicscode")):
        return lambda r: str(r.randint(1000, 999999))
    if "duns" in name:
        return lambda r: f"{r.randint(0, 999999999):09d}"
    if name.endswith("year") or name.endswith("yearstarted"):
        return lambda r: str(r.randint(1950, 2022))
    if "ticker" in name:
        return lambda r: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(r.randint(2, 4)))
    if name.endswith(("number", "code", "sku", "key", "identifier")) or name.endswith("id"):
        return lambda r: (
            f"{r.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{r.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}-{r.randint(100, 99999)}"
        )
    if "keyword" in name or "tag" in name:
        return lambda r: " ".join(r.sample(W.TAG_WORDS, r.randint(1, 3)))
    if "alias" in name or "nickname" in name:
        return lambda r: r.choice(W.FIRST_NAMES).lower()[:5] + str(r.randint(1, 99))
    return lambda r: " ".join(r.choice(W.LOREM) for _ in range(r.randint(1, 4))).capitalize()


def _company(rng: Random) -> str:
    return W.company(rng.getrandbits(32), rng.getrandbits(32))


def _person(rng: Random) -> str:
    return f"{rng.choice(W.FIRST_NAMES)} {rng.choice(W.LAST_NAMES)}"


def prose(gen: Gen, low: int = 1, high: int = 3, rate: float = 1.0) -> Factory:
    """Paragraphs of `low`–`high` sentences from a shared pool (building text per row is slow)."""
    key = f"prose:{low}:{high}"
    pool = gen.pools_of_text.get(key)
    if pool is None:
        rng = gen.rng(key)
        pool = [" ".join(sentence(rng) for _ in range(rng.randint(low, high))) for _ in range(500)]
        gen.pools_of_text[key] = pool
    return choice(pool, rate)
