"""The formats the front desk types into the patient search (docs/patients-search.md, 02 §1.4):
"Nachname, Vorname", "Vorname Nachname", German birth dates, insurance numbers and umlauts
spelt out either way; long or odd input is a clear 400 or simply no match, never a 500."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, sessionmaker

from server.db import make_engine
from server.migrate import alembic_config, upgrade
from server.patients import search
from server.patients.models import Patient
from tests.server.conftest import PostgresServer, Users, drop_database
from tests.server.master_helpers import Headers, audit_rows

MICHAEL_MAIER = 2001
ANNA_MAIER = 2002
MICHAEL_OBERMAIER = 2003
JUERGEN_KRUEGER = 2004
HANS_MUELLER = 2005  # stored as "Mueller": a keyboard without umlauts typed it in
EMIL_MUELLER_LUEDENSCHEID = 2006
RENATE_GROSSKOPF = 2007
ANNA_MARIA_VON_DER_HEIDE = 2008
EVERYONE_NAMED_MAIER = [ANNA_MAIER, MICHAEL_MAIER, MICHAEL_OBERMAIER]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


@pytest.fixture
def patients(db: sessionmaker[Session]) -> None:
    rows: list[dict[str, Any]] = [
        {
            "id": MICHAEL_MAIER,
            "first_name": "Michael",
            "last_name": "Maier",
            "birth_date": date(1977, 3, 4),
            "insurance_number": "K123456789",
        },
        {"id": ANNA_MAIER, "first_name": "Anna", "last_name": "Maier"},
        {"id": MICHAEL_OBERMAIER, "first_name": "Michael", "last_name": "Obermaier"},
        {"id": JUERGEN_KRUEGER, "first_name": "Jürgen", "last_name": "Krüger"},
        {"id": HANS_MUELLER, "first_name": "Hans", "last_name": "Mueller"},
        {"id": EMIL_MUELLER_LUEDENSCHEID, "first_name": "Emil", "last_name": "Müller-Lüdenscheid"},
        {"id": RENATE_GROSSKOPF, "first_name": "Renate", "last_name": "GROSSKOPF"},
        {"id": ANNA_MARIA_VON_DER_HEIDE, "first_name": "Anna-Maria", "last_name": "von der Heide"},
    ]
    with db() as session, session.begin():
        session.execute(insert(Patient), rows)


def found(client: TestClient, headers: Headers, q: str) -> list[int]:
    response = client.get("/api/patients/search/", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return [patient["id"] for patient in response.json()]


@pytest.mark.usefixtures("patients")
@pytest.mark.parametrize(
    ("q", "ids"),
    [
        # "Nachname, Vorname" — the format the app shows everywhere
        ("maier, mi", [MICHAEL_MAIER]),
        ("Maier, Michael", [MICHAEL_MAIER]),
        ("MAIER,MICHAEL", [MICHAEL_MAIER]),
        ("Maier, Michael (04.03.1977)", [MICHAEL_MAIER]),  # a display name pasted whole
        ("Maier, Michael, 04.03.1977", [MICHAEL_MAIER]),
        ("maier,", [ANNA_MAIER, MICHAEL_MAIER]),  # the last name begins a name, Obermaier not
        (", anna", [ANNA_MAIER, ANNA_MARIA_VON_DER_HEIDE]),
        ("Heide, Maria", [ANNA_MARIA_VON_DER_HEIDE]),  # words of both names count
        ("von der Heide, Anna", [ANNA_MARIA_VON_DER_HEIDE]),
        ("Lüdenscheid, Emil", [EMIL_MUELLER_LUEDENSCHEID]),
        ("Maier, Ann Michael", []),
        (",", []),
        # "Vorname Nachname", and any terms in any order as before
        ("Michael Maier", [MICHAEL_MAIER, MICHAEL_OBERMAIER]),
        ("maier", EVERYONE_NAMED_MAIER),
        # birth dates the German way, with or without leading zeros, and ISO
        ("04.03.1977", [MICHAEL_MAIER]),
        ("4.3.1977", [MICHAEL_MAIER]),
        ("1977-03-04", [MICHAEL_MAIER]),
        ("Maier 4.3.1977", [MICHAEL_MAIER]),
        ("4.3.77", []),  # a two-digit year names no century
        ("30.02.1977", []),
        # insurance number, whole or begun, any case
        ("K123456789", [MICHAEL_MAIER]),
        ("k1234", [MICHAEL_MAIER]),
        # umlauts spelt out find umlauts, umlauts find spellings without them
        ("Krueger", [JUERGEN_KRUEGER]),
        ("KRÜGER", [JUERGEN_KRUEGER]),
        ("Juergen Krüger", [JUERGEN_KRUEGER]),
        ("Kru\u0308ger", [JUERGEN_KRUEGER]),  # u + combining diaeresis, as some systems send
        ("Müller", [HANS_MUELLER, EMIL_MUELLER_LUEDENSCHEID]),
        ("mueller", [HANS_MUELLER, EMIL_MUELLER_LUEDENSCHEID]),
        ("Müller, E", [EMIL_MUELLER_LUEDENSCHEID]),
        ("Großkopf", [RENATE_GROSSKOPF]),
        ("grosskopf", [RENATE_GROSSKOPF]),
        ("Kruger", []),  # plain letters are another name
    ],
)
def test_formats_the_front_desk_types(
    client: TestClient, admin: Headers, q: str, ids: list[int]
) -> None:
    assert found(client, admin, q) == ids


@pytest.mark.usefixtures("patients")
def test_results_keep_the_name_order_and_the_read_representation(
    client: TestClient, admin: Headers
) -> None:
    response = client.get("/api/patients/search/", params={"q": "Maier"}, headers=admin)
    body = response.json()
    assert [(p["last_name"], p["first_name"]) for p in body] == [
        ("Maier", "Anna"),
        ("Maier", "Michael"),
        ("Obermaier", "Michael"),
    ]
    assert body[1]["birth_date"] == "1977-03-04"
    assert len(body[1]) == 10


@pytest.mark.usefixtures("patients")
def test_a_query_longer_than_200_characters_is_refused_clearly(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    at_limit = "Maier" + " " * 194 + "m"  # 200 characters
    assert found(client, admin, at_limit) == EVERYONE_NAMED_MAIER
    for q in ("x" * 201, "a " * 20_000, "Maier, " + "ü" * 5_000):
        response = client.get("/api/patients/search/", params={"q": q}, headers=admin)
        assert response.status_code == 400
        assert response.json() == {"q": ["Ensure this field has no more than 200 characters."]}
    # Whitespace around q does not count; the refused searches were not audited.
    assert found(client, admin, " " * 300 + "maier" + " " * 300) == EVERYONE_NAMED_MAIER
    assert [row.meta for row in audit_rows(db, "patient_search")] == [
        {"q": at_limit},
        {"q": "maier"},
    ]


@pytest.mark.usefixtures("patients")
@pytest.mark.parametrize(
    ("raw_query", "ids"),
    [
        ("q=Mai%00er", EVERYONE_NAMED_MAIER),  # NUL dropped, as before
        ("q=%00%00", None),  # …leaving an empty q: the first patients
        ("q=%FF%FE", []),  # not UTF-8
        ("q=%ED%A0%80", []),  # an encoded UTF-16 surrogate
        ("q=%F0%9F%98%80", []),  # an emoji
        ("q=%CC%88", []),  # a lone combining diaeresis
        ("q=%E2%80%AEreiaM", []),  # right-to-left override
        ("q=%EF%BC%91%EF%BC%92", []),  # full-width digits are not a patient number
        ("q=%5C%25_", []),  # LIKE's escape and wildcards are literal text
    ],
)
def test_odd_input_is_no_match_rather_than_an_error(
    client: TestClient, admin: Headers, raw_query: str, ids: list[int] | None
) -> None:
    response = client.get(f"/api/patients/search/?{raw_query}", headers=admin)
    assert response.status_code == 200, response.text
    result = [patient["id"] for patient in response.json()]
    if ids is None:
        assert len(result) == 8  # every patient (up to 200)
    else:
        assert result == ids


def test_name_terms_can_use_the_trigram_index(db: sessionmaker[Session]) -> None:
    """The folded comparison runs in PostgreSQL on the indexed column, not row by row in
    Python: with sequential and plain index scans discouraged (the ordered name index would
    otherwise win on an almost empty table, whatever its statistics say) the plan reads the
    trigram index."""
    statement = search.statement("Krueger, Juergen")
    compiled = statement.compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )
    with db() as session, session.begin():
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_indexscan = off"))
        plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_patients_search_trgm" in plan


_names = itertools.count()


@pytest.fixture
def empty_database(pg_cluster: PostgresServer) -> Iterator[str]:
    name = f"search_{os.getpid()}_{next(_names)}"
    with pg_cluster.connect_admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield pg_cluster.url(name)
    drop_database(pg_cluster, name)


def test_migration_0009_refolds_existing_patients_and_goes_back(empty_database: str) -> None:
    engine = make_engine(empty_database, pool_size=1)
    try:
        upgrade(engine, "0008")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO patients (id, first_name, last_name) VALUES (1, 'Jürgen', 'Groß')"
                )
            )
        upgrade(engine, "0009")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT search_text FROM patients")) == "juergen gross   "
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0008")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT search_text FROM patients")) == "jürgen groß   "
            assert conn.scalar(text("SELECT to_regproc('praxi_search_fold')")) is None
    finally:
        engine.dispose()
