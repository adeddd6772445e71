"""Tasks and events on people (WhoId) and business records (WhatId), and notes on records.

As in a real org, a lead activity has no WhatId (leads cannot be combined with a What), a contact
activity relates to that contact's account or one of its opportunities or cases, and AccountId is
the account the activity rolls up to.
"""

from collections.abc import Callable
from random import Random

from .columns import per_row
from .table import DAY_MS, Chunk, Factory, Gen, emit
from .text import prose

_NOTE_TITLES = ("Call notes", "Meeting summary", "Pricing discussion", "Next steps", "Internal note",
                "Requirements", "Follow-up items", "Renewal risk")  # fmt: skip
_SUBJECTS = ("Call", "Email", "Follow up", "Send Quote", "Send Letter", "Demo", "Check in", "Discovery call",
             "Contract review", "Intro meeting", "Quarterly business review", "Onsite visit")  # fmt: skip
_LOCATIONS = ("Zoom", "Phone", "Customer office", "HQ Room 4B", "Teams", "Conference center")


class Relations:
    """Draws (who, what, account, base time) for activities from the generated records."""

    def __init__(self, gen: Gen, obj_name: str) -> None:
        self.gen = gen
        obj = gen.obj(obj_name)
        what = obj.field("WhatId") if obj else None
        self.what_types = set(what.reference_to) if what else set()
        who = obj.field("WhoId") if obj else None
        self.who_types = set(who.reference_to) if who else set()
        self.start, self.anchor = gen.start_ms, gen.anchor_ms
        # Records an activity relates to without a person; custom objects that allow activities too.
        standard = [("Opportunity", 0.5), ("Case", 0.2), ("Campaign", 0.1)]
        custom = [(name, 0.1) for name in sorted(self.what_types) if name.endswith("__c")]
        self.what_only = [(n, s) for n, s in standard + custom + [("Account", 1.0)] if n in self.what_types]

    def _get(self, name: str, index: int) -> tuple[str, int]:
        return self.gen.new[name].at(index), self.gen.created_of(name)[index]

    def _child(self, r: Callable[[], float], key: str, parent: int) -> int:
        link = self.gen.links.get(key)
        return link.pick_child(r, parent) if link is not None and key in self.what_types else -1

    def draw(self, rng: Random) -> tuple[str | None, str | None, str | None, int]:
        gen, r = self.gen, rng.random
        roll = r()
        contacts, leads = gen.size("Contact"), gen.size("Lead")
        if roll < 0.5 and contacts and "Contact" in self.who_types:
            x = int(r() * contacts)
            who, base = self._get("Contact", x)
            a = gen.links["Contact"].parent_of[x]
            account = gen.new["Account"].at(a)
            pick = r()
            what = account if "Account" in self.what_types else None
            if pick < 0.35 and (o := self._child(r, "Opportunity", a)) >= 0:
                what = gen.new["Opportunity"].at(o)
            elif pick > 0.85 and (k := self._child(r, "Case", a)) >= 0:
                what = gen.new["Case"].at(k)
            return who, what, account, base
        if roll < 0.75 and leads and "Lead" in self.who_types:
            who, base = self._get("Lead", int(r() * leads))
            return who, None, None, base
        for name, share in self.what_only:
            if gen.size(name) and r() < share:
                index = int(r() * gen.size(name))
                what, base = self._get(name, index)
                account = None
                if name == "Account":
                    account = what
                elif name in ("Opportunity", "Case"):
                    account = gen.new["Account"].at(gen.links[name].parent_of[index])
                return None, what, account, base
        return None, None, None, self.start + int(r() * (self.anchor - self.start))


def _relations(gen: Gen, obj_name: str) -> dict[str, Factory | None]:
    rel = Relations(gen, obj_name)
    anchor = gen.anchor_ms

    def draw(c: Chunk) -> list:
        return [rel.draw(c.rng) for _ in c.rows]

    def created(c: Chunk) -> list:
        r = c.rng.random
        return [base + int(r() ** 2 * min(120 * DAY_MS, anchor - base)) for *_, base in c["_rel"]]

    return {
        "_rel": draw,
        "WhoId": lambda c: [x[0] for x in c["_rel"]],
        "WhatId": lambda c: [x[1] for x in c["_rel"]],
        "AccountId": lambda c: [x[2] for x in c["_rel"]],
        "CreatedDate": created,
    }


def _allowed(gen: Gen, obj: str, field: str, values: tuple[str, ...]) -> list[str]:
    f = gen.obj(obj).field(field) if gen.obj(obj) else None
    active = {p.value for p in f.picklist_values if p.active} if f else set()
    return [v for v in values if v in active]


def _nulls(gen: Gen, obj_name: str, prefixes: tuple[str, ...]) -> dict[str, Factory | None]:
    obj = gen.obj(obj_name)
    return {f.name: None for f in obj.fields if f.name.startswith(prefixes)} if obj else {}


def build(gen: Gen) -> None:
    if gen.has("Task"):
        _tasks(gen)
    if gen.has("Event"):
        _events(gen)
    if gen.has("Note"):
        _notes(gen)


def _tasks(gen: Gen) -> None:
    anchor, anchor_day = gen.anchor_ms, gen.anchor_day
    done = _allowed(gen, "Task", "Status", ("Completed",))
    pending = _allowed(
        gen, "Task", "Status", ("Not Started", "In Progress", "Waiting on someone else", "Deferred")
    )
    subtypes = _allowed(gen, "Task", "TaskSubtype", ("Task", "Email", "Call")) or [None]
    call_types = _allowed(gen, "Task", "CallType", ("Inbound", "Outbound", "Internal")) or [None]

    def status(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for day in c["_due"]:
            finished = done and pending and r() < (0.85 if day < anchor_day else 0.1)
            out.append(done[0] if finished or not pending else c.rng.choice(pending))
        return out

    def modified(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for t, closed, day in zip(c["CreatedDate"], c["IsClosed"], c["_due"], strict=True):
            if closed:
                t = max(t, min(anchor, day * DAY_MS + int(r() * DAY_MS)))
            elif r() < 0.3:
                t += int((anchor - t) * r() ** 2)
            out.append(t)
        return out

    def if_call(make: Callable[[Random], object]) -> Factory:
        return lambda c: [make(c.rng) if s == "Call" else None for s in c["TaskSubtype"]]

    overrides = {
        **_nulls(gen, "Task", ("Recurrence",)),
        **_relations(gen, "Task"),
        "_due": lambda c: [t // DAY_MS - 2 + int(c.rng.random() * 16) for t in c["CreatedDate"]],
        "ActivityDate": lambda c: [gen.day(d) for d in c["_due"]],
        "Subject": lambda c: c.rng.choices(_SUBJECTS, k=c.n),
        "Status": status,
        "IsClosed": lambda c: [int(s in done) for s in c["Status"]],
        "Priority": lambda c: c.rng.choices(("Normal", "High", "Low"), weights=(7, 2, 1), k=c.n),
        "IsHighPriority": lambda c: [int(p == "High") for p in c["Priority"]],
        "LastModifiedDate": modified,
        "CompletedDateTime": lambda c: [
            m if closed else None for m, closed in zip(c["LastModifiedDate"], c["IsClosed"], strict=True)
        ],
        "TaskSubtype": lambda c: c.rng.choices(subtypes, k=c.n),
        "CallType": if_call(lambda r: r.choice(call_types)),
        "CallDurationInSeconds": if_call(lambda r: r.randint(30, 3600)),
        "CallDisposition": if_call(lambda r: r.choice(("Connected", "Left voicemail", "No answer"))),
        "CallObject": None,
        "IsReminderSet": lambda c: [int(c.rng.random() < 0.1) for _ in c.rows],
        "ReminderDateTime": lambda c: [
            d * DAY_MS + 9 * 3_600_000 if s else None
            for d, s in zip(c["_due"], c["IsReminderSet"], strict=True)
        ],
        "IsRecurrence": per_row(lambda i: 0),
        "Description": prose(gen, 1, 2, 0.3),
    }
    emit(gen, "Task", overrides)


def _events(gen: Gen) -> None:
    def start(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for t, all_day in zip(c["CreatedDate"], c["IsAllDayEvent"], strict=True):
            day = t // DAY_MS + int(r() * 30)
            out.append(day * DAY_MS + (0 if all_day else (8 + int(r() * 10)) * 3_600_000))
        return out

    show = _allowed(gen, "Event", "ShowAs", ("Busy", "Free", "OutOfOffice")) or [None]
    overrides = {
        **_nulls(gen, "Event", ("Recurrence",)),
        **_relations(gen, "Event"),
        "IsAllDayEvent": lambda c: [int(c.rng.random() < 0.05) for _ in c.rows],
        "StartDateTime": start,
        "DurationInMinutes": lambda c: [
            1440 if a else c.rng.choice((30, 30, 60, 60, 60, 90, 120)) for a in c["IsAllDayEvent"]
        ],
        "EndDateTime": lambda c: [
            s + d * 60_000 for s, d in zip(c["StartDateTime"], c["DurationInMinutes"], strict=True)
        ],
        "ActivityDateTime": lambda c: list(c["StartDateTime"]),
        "ActivityDate": lambda c: [gen.day_of_ms(s) for s in c["StartDateTime"]],
        "EndDate": lambda c: [gen.day_of_ms(e - 1) for e in c["EndDateTime"]],
        "Subject": lambda c: c.rng.choices(_SUBJECTS, k=c.n),
        "Location": lambda c: [c.rng.choice(_LOCATIONS) if c.rng.random() < 0.7 else None for _ in c.rows],
        "ShowAs": lambda c: c.rng.choices(show, weights=(17, 2, 1)[: len(show)], k=c.n),
        "IsPrivate": lambda c: [int(c.rng.random() < 0.05) for _ in c.rows],
        "IsReminderSet": lambda c: [int(c.rng.random() < 0.3) for _ in c.rows],
        "ReminderDateTime": lambda c: [
            s - 15 * 60_000 if on else None
            for s, on in zip(c["StartDateTime"], c["IsReminderSet"], strict=True)
        ],
        "GroupEventType": per_row(lambda i: "0"),
        "EventSubtype": per_row(lambda i: "Event"),
        "IsRecurrence": per_row(lambda i: 0),
        "Recurrence2PatternText": None,
        "Description": prose(gen, 1, 2, 0.3),
    }
    emit(gen, "Event", overrides)


def _notes(gen: Gen) -> None:
    obj = gen.obj("Note")
    parent = obj.field("ParentId") if obj else None
    targets = [
        (name, weight)
        for name, weight in (("Account", 4), ("Opportunity", 3), ("Contact", 2), ("Lead", 1), ("Contract", 1))
        if parent is not None and name in parent.reference_to and gen.size(name)
    ]
    if not targets:
        return
    names = [t[0] for t in targets]
    weights = [t[1] for t in targets]
    anchor = gen.anchor_ms

    def pick(c: Chunk) -> list:
        out = []
        for name in c.rng.choices(names, weights=weights, k=c.n):
            index = int(c.rng.random() * gen.size(name))
            out.append((gen.new[name].at(index), gen.created_of(name)[index]))
        return out

    emit(
        gen,
        "Note",
        {
            "_parent": pick,
            "ParentId": lambda c: [p[0] for p in c["_parent"]],
            "CreatedDate": lambda c: [t + int(c.rng.random() ** 2 * (anchor - t)) for _, t in c["_parent"]],
            "Title": lambda c: c.rng.choices(_NOTE_TITLES, k=c.n),
            "Body": prose(gen, 1, 4),
            "IsPrivate": lambda c: [int(c.rng.random() < 0.05) for _ in c.rows],
        },
    )
