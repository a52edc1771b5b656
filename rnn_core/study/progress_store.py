"""The database behind learner codes: one row per (learner, page, question), merged on save.

Why a row per answer, merged rather than replaced: one learner may work in two browser tabs,
or be served by two app servers, at once. Each session holds its own records; a save sends
them and the store joins each with the stored one (``records.merge_records``: tries, reveals
and prediction rounds combine, nothing is overwritten), so the last writer never wins over
the others.

Why that is safe from races: a save is one transaction that first upserts the learner's row
in ``rnn_lab_learners``. That write holds the row's lock (PostgreSQL, MySQL) or the database's
write lock (SQLite) until the commit, so saves of one learner run one after the other and each
reads what the one before it committed. Saves of different learners do not wait for each other
on a server database.

Why a table of choice orders: a row's choice indices follow the quizzes' choice order of the
day it was written. When keys were moved for balance (progress format 3), the rows already
stored were mapped once (``quiz.Question.v2_order``), and ``rnn_lab_choice_orders`` records
that it was done, so a restart or a second server never maps them twice.

Why SQLAlchemy and not ``sqlite3``: any database SQLAlchemy speaks can hold the progress (a
shared PostgreSQL for a class spread over several servers), while a local SQLite file stays
the default, with nothing to set up. The engine comes from the caller (``rnn_ui.session``
takes it from ``st.connection``); this module never imports Streamlit.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from rnn_core.storage import state_dir
from rnn_core.study import quiz
from rnn_core.study.records import Answers, InvalidRecord, Record, merge_records, validated_record

LOG = logging.getLogger(__name__)
MAX_STORED_LEARNERS = 50_000  # learners not seen for the longest are evicted beyond this
SQLITE_BUSY_SECONDS = 30  # how long a save waits for another one's write lock
_CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{12,32}")

METADATA = MetaData()
LEARNERS = Table(
    "rnn_lab_learners", METADATA,
    Column("code", String(32), primary_key=True),
    Column("updated", Float, nullable=False, index=True),  # Unix seconds of the last save
)
ANSWERS = Table(
    "rnn_lab_answers", METADATA,
    Column("code", String(32), primary_key=True),
    Column("page", String(64), primary_key=True),
    Column("item", String(128), primary_key=True),  # a question's or a prediction's id
    Column("record", Text, nullable=False),  # the record as JSON (rnn_core.study.records)
)
CHOICE_ORDERS = Table(  # one row per choice order the stored rows were brought to (see above)
    "rnn_lab_choice_orders", METADATA,
    Column("version", Integer, primary_key=True),
)
CHOICE_ORDER = 3  # rows follow progress format 3's choice order (the YAML's today)
LEGACY_TABLE = "progress"  # before: one row per learner, all answers in one JSON text
_UPSERTS = {"postgresql": postgresql, "sqlite": sqlite}  # dialects with INSERT ... ON CONFLICT


def new_learner_code() -> str:
    """A random, unguessable code (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def is_learner_code(value: object) -> bool:
    return isinstance(value, str) and _CODE_PATTERN.fullmatch(value) is not None


def sqlite_engine(path: Path) -> Engine:
    """The default database: one SQLite file, shared by the threads of one server."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return create_engine(f"sqlite:///{path}", connect_args={"timeout": SQLITE_BUSY_SECONDS})


class ProgressStore:
    """Answers per learner code, in any SQL database; safe to share between threads, and
    between servers on one database.

    ``database``: an SQLAlchemy ``Engine`` or URL, or a path to a SQLite file (by default
    ``progress.sqlite3`` in the state directory). The tables are created if missing; a SQLite
    file written before answers had rows of their own is carried over on opening.
    """

    def __init__(self, database: Engine | str | Path | None = None,
                 max_learners: int | None = None) -> None:
        if database is None:
            database = state_dir() / "progress.sqlite3"
        if isinstance(database, Path):
            self.path: Path | None = database
            database = sqlite_engine(database)
        else:
            self.path = None
        self.engine = create_engine(database) if isinstance(database, str) else database
        self.max_learners = max_learners
        _create_tables(self.engine)
        _bring_rows_to_todays_choice_order(self.engine)
        if self.engine.dialect.name == "sqlite":
            self._carry_over_legacy_rows()

    def load(self, code: str) -> Answers:
        """The stored answers for ``code`` (empty if unknown); unreadable records are skipped."""
        if not is_learner_code(code):
            return {}
        with self.engine.connect() as db:
            return _readable(_rows(db, code))

    def save(self, code: str, answers: Answers) -> Answers:
        """Merge ``answers`` into what is stored for ``code``; returns everything stored now
        (what other tabs or servers saved included)."""
        _check_code(code)
        with self.engine.begin() as db:
            _lock_learner(db, code)
            stored = _merge_in(db, code, answers)
            self._evict(db)
        return stored

    def replace(self, code: str, answers: Answers) -> None:
        """Store exactly ``answers`` for ``code`` (a restored file; ``{}`` to reset)."""
        _check_code(code)
        with self.engine.begin() as db:
            _lock_learner(db, code)
            db.execute(delete(ANSWERS).where(ANSWERS.c.code == code))
            _merge_in(db, code, answers)
            self._evict(db)

    def _evict(self, db: Connection) -> None:
        """Forget the learners not seen for the longest beyond the bound."""
        bound = MAX_STORED_LEARNERS if self.max_learners is None else self.max_learners
        excess = db.execute(select(func.count()).select_from(LEARNERS)).scalar_one() - bound
        if excess <= 0:
            return
        oldest = (select(LEARNERS.c.code).order_by(LEARNERS.c.updated, LEARNERS.c.code)
                  .limit(excess))
        codes = list(db.execute(oldest).scalars())
        db.execute(delete(ANSWERS).where(ANSWERS.c.code.in_(codes)))
        db.execute(delete(LEARNERS).where(LEARNERS.c.code.in_(codes)))

    def _carry_over_legacy_rows(self) -> None:
        """Rows of the one-row-per-learner table become rows per answer; the old table is
        renamed, not dropped (an older app version finds an empty table, not lost answers)."""
        with self.engine.begin() as db:
            if not inspect(db).has_table(LEGACY_TABLE):
                return
            columns = {column["name"] for column in inspect(db).get_columns(LEGACY_TABLE)}
            if columns != {"code", "answers", "updated"}:
                return  # someone else's table of that name
            rows = db.execute(text(f"SELECT code, answers, updated FROM {LEGACY_TABLE}")).all()
            for code, raw, updated in rows:
                answers = _legacy_answers(raw)
                if is_learner_code(code) and answers:
                    _lock_learner(db, code, at=updated)
                    _merge_in(db, code, answers)
            db.execute(text(f"ALTER TABLE {LEGACY_TABLE} RENAME TO {LEGACY_TABLE}_carried_over"))
        LOG.info("carried %d learners over from the %r table", len(rows), LEGACY_TABLE)


def _bring_rows_to_todays_choice_order(engine: Engine) -> None:
    """Map the choice indices of rows stored in version 2's order to today's, exactly once.

    The marker row is inserted first, in the same transaction: a second server doing the same
    waits on it and then finds it (IntegrityError), so no row is mapped twice.
    """
    with engine.begin() as db:
        if db.execute(select(CHOICE_ORDERS.c.version)
                      .where(CHOICE_ORDERS.c.version == CHOICE_ORDER)).first():
            return
        try:
            with db.begin_nested():
                db.execute(insert(CHOICE_ORDERS).values(version=CHOICE_ORDER))
        except IntegrityError:
            return
        mapped = 0
        for code, page, item, raw in db.execute(select(ANSWERS)).all():
            record = _parsed(raw)
            if record is None or page not in quiz.available_quizzes():
                continue
            try:
                new = validated_record(quiz.load_quiz(page), item, record, version=2)
            except (KeyError, InvalidRecord):
                continue  # left as it is: reading skips it anyway
            if new != record:
                db.execute(update(ANSWERS).where(ANSWERS.c.code == code, ANSWERS.c.page == page,
                                                 ANSWERS.c.item == item)
                           .values(record=_dumped(new)))
                mapped += 1
    if mapped:
        LOG.info("mapped %d stored answers to today's choice order", mapped)


def _check_code(code: object) -> None:
    if not is_learner_code(code):
        raise ValueError("not a learner code")


def _create_tables(engine: Engine) -> None:
    """Create what is missing; two servers starting at once may race, the second try wins."""
    try:
        METADATA.create_all(engine)
    except DBAPIError:
        METADATA.create_all(engine)


def _lock_learner(db: Connection, code: str, at: float | None = None) -> None:
    """Upsert the learner's row: its lock serialises this learner's saves until the commit."""
    at = time.time() if at is None else at
    dialect = _UPSERTS.get(db.dialect.name)
    if dialect is not None:
        upsert = dialect.insert(LEARNERS).values(code=code, updated=at)
        db.execute(upsert.on_conflict_do_update(index_elements=["code"], set_={"updated": at}))
        return
    touch = update(LEARNERS).where(LEARNERS.c.code == code).values(updated=at)
    if db.execute(touch).rowcount:
        return
    try:  # any other database: insert; a racing insert of the same learner is an update
        with db.begin_nested():
            db.execute(insert(LEARNERS).values(code=code, updated=at))
    except IntegrityError:
        db.execute(touch)


def _rows(db: Connection, code: str) -> dict[tuple[str, str], str]:
    query = select(ANSWERS.c.page, ANSWERS.c.item, ANSWERS.c.record).where(ANSWERS.c.code == code)
    return {(page, item): record for page, item, record in db.execute(query)}


def _merge_in(db: Connection, code: str, answers: Answers) -> Answers:
    """Merge ``answers`` into the learner's rows (the caller holds the learner's lock);
    returns all the learner's answers after the merge."""
    stored = _rows(db, code)
    merged: dict[tuple[str, str], str] = dict(stored)
    for (page, item), record in sorted(_items(answers)):
        old = _parsed(stored.get((page, item)))
        new = merge_records(old, record) if old is not None else record
        if (page, item) not in stored:
            db.execute(insert(ANSWERS).values(code=code, page=page, item=item,
                                              record=_dumped(new)))
        elif new != old:
            db.execute(update(ANSWERS).where(ANSWERS.c.code == code, ANSWERS.c.page == page,
                                             ANSWERS.c.item == item).values(record=_dumped(new)))
        merged[(page, item)] = _dumped(new)
    return _readable(merged)


def _items(answers: Answers) -> Iterator[tuple[tuple[str, str], Record]]:
    for page, page_records in answers.items():
        for item, record in page_records.items():
            yield (page, item), record


def _dumped(record: Record) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


def _parsed(raw: str | None) -> Record | None:
    """A stored record, or ``None`` if there is none or it is not JSON."""
    if raw is None:
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _readable(rows: dict[tuple[str, str], str]) -> Answers:
    """Stored rows checked against today's quizzes: a record of a question removed since, or
    one no session could have written, is left out (the learner's other answers stay)."""
    parsed = ((page, item, _parsed(raw)) for (page, item), raw in sorted(rows.items()))
    return _validated(entry for entry in parsed if entry[2] is not None)


def _validated(entries: Iterable[tuple[str, str, object]],
               version: int | None = None) -> Answers:
    answers: Answers = {}
    pages = set(quiz.available_quizzes())
    for page, item, raw in entries:
        if page not in pages:
            continue
        try:
            record = validated_record(quiz.load_quiz(page), item, raw, version)
        except (KeyError, InvalidRecord):
            continue
        answers.setdefault(page, {})[item] = record
    return answers


def _legacy_answers(raw: object) -> Answers:
    """A legacy row's answers, each record checked (bare version-1 responses upgraded; records
    were written in version 2's choice order, the only one the legacy table knew)."""
    try:
        document = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return {}
    if not isinstance(document, dict):
        return {}
    return _validated(((page, item, record) for page, entries in document.items()
                       if isinstance(entries, dict) for item, record in entries.items()),
                      version=2)
