"""Reference data: products, price books and their entries, opportunity stages, fiscal periods."""

import datetime as dt
from dataclasses import dataclass

from . import plan as P
from . import words as W
from .columns import per_row
from .table import Chunk, Factory, Gen, emit

# Stage → (default probability, forecast category API value, forecast category label, closed, won),
# as a fresh org's OpportunityStage rows have them.
_STAGES = {
    "Prospecting": (10, "Pipeline", "Pipeline", 0, 0),
    "Qualification": (10, "Pipeline", "Pipeline", 0, 0),
    "Needs Analysis": (20, "Pipeline", "Pipeline", 0, 0),
    "Value Proposition": (50, "Pipeline", "Pipeline", 0, 0),
    "Id. Decision Makers": (60, "Pipeline", "Pipeline", 0, 0),
    "Perception Analysis": (70, "Pipeline", "Pipeline", 0, 0),
    "Proposal/Price Quote": (75, "Pipeline", "Pipeline", 0, 0),
    "Negotiation/Review": (90, "Pipeline", "Pipeline", 0, 0),
    "Closed Won": (100, "Closed", "Closed", 1, 1),
    "Closed Lost": (0, "Omitted", "Omitted", 1, 0),
}
_PRICE_RANGES = {"Hardware": (2_000, 50_000), "Software": (500, 20_000), "Services": (200, 10_000)}


def stage_info(stage: str) -> tuple[int, str, str, int, int]:
    known = _STAGES.get(stage)
    if known is not None:
        return known
    lowered = stage.lower()
    closed, won = int("closed" in lowered), int("won" in lowered)
    if won:
        return 100, "Closed", "Closed", 1, 1
    return (0, "Omitted", "Omitted", 1, 0) if closed else (50, "Pipeline", "Pipeline", 0, 0)


@dataclass(frozen=True)
class Product:
    name: str
    code: str
    family: str
    price: float
    active: bool


def products(gen: Gen) -> list[Product]:
    """The generated products, a pure function of the seed and the planned count (line items reuse it)."""
    rng = gen.rng("Product2:catalog")
    out = []
    for i in range(gen.size("Product2")):
        line, family, variants = W.PRODUCT_LINES[i % len(W.PRODUCT_LINES)]
        turn = i // len(W.PRODUCT_LINES)
        variant = variants[turn % len(variants)]
        generation = turn // len(variants)
        name = f"{line} {variant}" + (f" Gen {generation + 1}" if generation else "")
        code = "".join(w[0] for w in line.split()).upper() + f"{1000 + i}"
        lo, hi = _PRICE_RANGES.get(family, (100, 10_000))
        out.append(Product(name, code, family, round(lo + rng.random() * (hi - lo), -1), rng.random() < 0.9))
    return out


def build(gen: Gen) -> None:
    gen.products = products(gen)
    _pricebooks(gen)
    _products(gen)
    _entries(gen)
    _stages(gen)
    _periods(gen)


def _pricebooks(gen: Gen) -> None:
    names = list(P.PRICE_BOOKS)
    if not gen.std_pricebook and gen.has("Pricebook2"):
        names.insert(0, "Standard Price Book")
        gen.std_pricebook = gen.new["Pricebook2"].at(0)
    standard = not P.standard_price_book(gen)
    emit(
        gen,
        "Pricebook2",
        {
            "Name": per_row(lambda i: names[i % len(names)]),
            "IsActive": per_row(lambda i: 1),
            "IsStandard": per_row(lambda i: int(standard and i == 0)),
            "Description": per_row(lambda i: f"{names[i % len(names)]} prices"),
        },
        window=(0.0, 0.01),
    )


def _products(gen: Gen) -> None:
    items = gen.products
    obj = gen.obj("Product2")
    family = obj.field("Family") if obj else None
    families = {p.value for p in family.picklist_values} if family else set()
    emit(
        gen,
        "Product2",
        {
            "Name": per_row(lambda i: items[i].name),
            "ProductCode": per_row(lambda i: items[i].code),
            "Family": per_row(lambda i: items[i].family if items[i].family in families else None),
            "IsActive": per_row(lambda i: int(items[i].active)),
            "StockKeepingUnit": per_row(lambda i: f"SKU-{items[i].code}"),
            "ExternalId": None,
            "DisplayUrl": None,
        },
        window=(0.0, 0.1),
    )


def _entries(gen: Gen) -> None:
    """Every product in the standard book (index i = product i), then each in one custom book."""
    items = gen.products
    n = len(items)
    books = gen.new.get("Pricebook2")
    custom = [books.at(i) for i in range(len(books)) if books.at(i) != gen.std_pricebook] if books else []
    standard = gen.std_pricebook
    if not n or not standard:
        return
    factor = (0.9, 1.1)

    def book(i: int) -> str | None:
        if i < n:
            return standard
        return custom[(i - n) % len(custom)] if custom else standard

    def price(c: Chunk) -> list:
        out = []
        for i, same in zip(c.rows, c["UseStandardPrice"], strict=True):
            item = items[i % n]
            out.append(item.price if i < n or same else round(item.price * factor[(i - n) % 2], 2))
        return out

    emit(
        gen,
        "PricebookEntry",
        {
            "Pricebook2Id": per_row(book),
            "Product2Id": per_row(lambda i: gen.new["Product2"].at(i % n)),
            "UseStandardPrice": lambda c: [0 if i < n else int(c.rng.random() < 0.3) for i in c.rows],
            "UnitPrice": price,
            "IsActive": per_row(lambda i: int(items[i % n].active)),
            "Name": per_row(lambda i: items[i % n].name),
            "ProductCode": per_row(lambda i: items[i % n].code),
        },
        window=(0.1, 0.12),
    )


def _stages(gen: Gen) -> None:
    opp = gen.obj("Opportunity")
    field = opp.field("StageName") if opp else None
    if field is None:
        return
    values = field.picklist_values
    info = [stage_info(v.value) for v in values]
    overrides: dict[str, Factory | None] = {
        "MasterLabel": per_row(lambda i: values[i].label or values[i].value),
        "ApiName": per_row(lambda i: values[i].value),
        "IsActive": per_row(lambda i: int(values[i].active)),
        "SortOrder": per_row(lambda i: i + 1),
        "IsClosed": per_row(lambda i: info[i][3]),
        "IsWon": per_row(lambda i: info[i][4]),
        "ForecastCategory": per_row(lambda i: info[i][1]),
        "ForecastCategoryName": per_row(lambda i: info[i][2]),
        "DefaultProbability": per_row(lambda i: info[i][0]),
        "Description": None,
    }
    emit(gen, "OpportunityStage", overrides, window=(0.0, 0.01))


def _periods(gen: Gen) -> None:
    year = dt.date.fromordinal(dt.date(1970, 1, 1).toordinal() + gen.anchor_day).year
    specs: list[tuple[str, dt.date, dt.date, int, str]] = []
    for y in range(year - 1, year - 1 + P.PERIOD_YEARS):
        specs.append(("Year", dt.date(y, 1, 1), dt.date(y, 12, 31), y, f"FY {y}"))
        for q in range(1, 5):
            start = dt.date(y, 3 * q - 2, 1)
            end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
            specs.append(("Quarter", start, end - dt.timedelta(days=1), q, f"Q{q} FY {y}"))
        for m in range(1, 13):
            end = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
            label = f"{dt.date(y, m, 1):%B} FY {y}"
            specs.append(("Month", dt.date(y, m, 1), end - dt.timedelta(days=1), m, label))
    emit(
        gen,
        "Period",
        {
            "Type": per_row(lambda i: specs[i][0]),
            "StartDate": per_row(lambda i: specs[i][1].isoformat()),
            "EndDate": per_row(lambda i: specs[i][2].isoformat()),
            "Number": per_row(lambda i: specs[i][3]),
            "FullyQualifiedLabel": per_row(lambda i: specs[i][4]),
            "IsForecastPeriod": per_row(lambda i: int(specs[i][0] != "Year")),
            "QuarterLabel": per_row(lambda i: f"Q{specs[i][3]}" if specs[i][0] == "Quarter" else None),
            "PeriodLabel": per_row(lambda i: f"P{specs[i][3]}" if specs[i][0] == "Month" else None),
            "FiscalYearSettingsId": None,
        },
        window=(0.0, 0.01),
    )
