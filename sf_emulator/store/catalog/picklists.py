"""Picklist value sets that several standard fields share (values as in a fresh Developer Edition org)."""

import json
from pathlib import Path

# (value, label) pairs: Salesforce shows a label that differs from the stored API value.
TIMEZONES: tuple[tuple[str, str], ...] = tuple(
    (value, label)
    for value, label in json.loads((Path(__file__).parent / "timezones.json").read_text("utf-8"))
)

INDUSTRIES = (
    "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
    "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Environmental",
    "Finance", "Food & Beverage", "Government", "Healthcare", "Hospitality", "Insurance", "Machinery",
    "Manufacturing", "Media", "Not For Profit", "Recreation", "Retail", "Shipping", "Technology",
    "Telecommunications", "Transportation", "Utilities", "Other",
)  # fmt: skip

LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")

CLEAN_STATUS = (
    ("Matched", "In Sync"), "Different", ("Acknowledged", "Reviewed"), ("NotFound", "Not Found"), "Inactive",
    ("Pending", "Not Compared"), ("SelectMatch", "Select Match"), "Skipped",
)  # fmt: skip

# Real orgs set CleanStatus to Pending ("Not Compared") on every new record, yet describe shows no
# default: a default_value without defaulted_on_create is exactly that (stored, not advertised).
CLEAN_STATUS_ON_CREATE = "Pending"

RATINGS = ("Hot", "Warm", "Cold")

OPPORTUNITY_STAGES = (
    "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
    "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost",
)  # fmt: skip

FORECAST_CATEGORIES = ("Omitted", "Pipeline", "Best Case", "Commit", "Closed")

TASK_SUBJECTS = ("Call", "Email", "Send Letter", "Send Quote", "Other")

TASK_PRIORITIES = ("High", "Normal", "Low")

TASK_STATUSES = ("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred")

LOCALES = (
    ("en_US", "English (United States)"), ("en_GB", "English (United Kingdom)"), ("de_DE", "German (Germany)"),
    ("fr_FR", "French (France)"), ("es_ES", "Spanish (Spain)"), ("ja_JP", "Japanese (Japan)"),
)  # fmt: skip

LANGUAGES = (
    ("en_US", "English"), ("de", "German"), ("fr", "French"), ("es", "Spanish"), ("ja", "Japanese"),
)  # fmt: skip

EMAIL_ENCODINGS = (
    ("UTF-8", "Unicode (UTF-8)"), ("ISO-8859-1", "General US & Western Europe (ISO-8859-1, ISO-LATIN-1)"),
    ("Shift_JIS", "Japanese (Shift-JIS)"),
)  # fmt: skip

CURRENCIES = (("USD", "U.S. Dollar"), ("EUR", "Euro"), ("GBP", "British Pound"), ("JPY", "Japanese Yen"))

RECURRENCE_TYPES = (
    ("RecursDaily", "Recurs Daily"), ("RecursEveryWeekday", "Recurs Every Weekday"),
    ("RecursMonthly", "Recurs Monthly"), ("RecursMonthlyNth", "Recurs Monthly Nth"),
    ("RecursWeekly", "Recurs Weekly"), ("RecursYearly", "Recurs Yearly"), ("RecursYearlyNth", "Recurs Yearly Nth"),
)  # fmt: skip

RECURRENCE_INSTANCES = (
    ("First", "1st"),
    ("Second", "2nd"),
    ("Third", "3rd"),
    ("Fourth", "4th"),
    ("Last", "last"),
)

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip

SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")
