"""An attacker with write access to the database, on SQLite and PostgreSQL:
each attack is made with plain SQL (as from a database console) and
`truce ledger verify` must detect and name it.

The victim is the demo theatre (every record table has rows) plus users;
each test gets its own copy of it (a file copy on SQLite, a template
database on PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from tamper_kit import checkpoint, first_key, rewrite_history, sql, verify
from truce.service.users import add_user
from truce.store import ledger
from truce.store.engine import make_engine
from truce.store.row_ledger import RECORD_TABLES
from truce.store.uow import UnitOfWork


def test_the_untouched_record_verifies(victim):
    code, output = verify(victim)
    assert code == 0, output
    assert "every record row matches" in output


# table, column, a new value (an SQL expression that always changes it)
ALTERATIONS = [
    ("claims", "stance", "CASE WHEN stance = 'denies' THEN 'asserts' ELSE 'denies' END"),
    ("claims", "text", "'never said'"),
    ("incidents", "title", "title || ' (edited)'"), ("incidents", "status", "'draft'"),
    ("incidents", "grade", "'confirmed-x'"), ("incidents", "grade_override", "'confirmed-x'"),
    ("casualty_figures", "value", "value + 1"),
    ("violations", "responsible", "CASE WHEN responsible = 'ARM' THEN 'AZE' ELSE 'ARM' END"),
    ("controls", "party_id", "CASE WHEN party_id = 'ARM' THEN 'AZE' ELSE 'ARM' END"),
    ("reports", "summary", "'calm day'"),
    ("agreements", "name", "name || ' (edited)'"), ("sources", "name", "name || ' (edited)'"),
    ("actors", "name", "name || ' (edited)'"), ("places", "latitude", "latitude + 0.5"),
    ("alerts", "message", "'all quiet'"),
    ("users", "role", "CASE WHEN role = 'admin' THEN 'observer' ELSE 'admin' END"),
    ("parties", "name", "name || ' (edited)'"), ("incident_geo", "sector", "'elsewhere'"),
    ("line_versions", "sector", "sector || ' (moved)'"),
    ("tasks", "status", "CASE WHEN status = 'open' THEN 'closed' ELSE 'open' END"),
    ("tasks", "look_for", "'nothing to see'"),
]


def _drop_report_immutability(url: str) -> None:
    if url.startswith("sqlite"):
        sql(url, "DROP TRIGGER reports_no_update")
        sql(url, "DROP TRIGGER reports_no_delete")
    else:
        sql(url, "DROP TRIGGER reports_immutable ON reports")


def test_an_altered_field_in_each_record_table_is_named(victim):
    _drop_report_immutability(victim)
    altered: dict[str, set[str]] = {}
    for table, column, value in ALTERATIONS:
        key = first_key(victim, table)
        pk = [c.name for c in RECORD_TABLES[table].primary_key.columns][0]
        sql(victim, f'UPDATE "{table}" SET "{column}" = {value} WHERE "{pk}" = :k', k=key)
        altered.setdefault(f"{table} {key}", set()).add(column)
    code, output = verify(victim)
    assert code == 1
    named = {}
    for line in output.splitlines():
        if line.startswith("tampered: ") and " differ" in line:
            where, _, fields = line.removeprefix("tampered: ").partition(": ")
            named[where] = set(fields.split(" differ")[0].split(", "))
    assert named == altered
    assert f"{len(altered)} rows differ" in output


def test_a_deleted_row_is_named(victim):
    _drop_report_immutability(victim)
    report = first_key(victim, "reports")
    sql(victim, "DELETE FROM incident_reports WHERE report_id = :k", k=report)
    sql(victim, "DELETE FROM evidence WHERE report_id = :k", k=report)
    sql(victim, "DELETE FROM reports WHERE id = :k", k=report)
    deleted = [f"reports {report}: row is missing"]
    for table in ("claims", "casualty_figures", "violations"):
        key = first_key(victim, table)
        sql(victim, f'DELETE FROM "{table}" WHERE id = :k', k=key)
        deleted.append(f"{table} {key}: row is missing")
    code, output = verify(victim)
    assert code == 1
    for line in deleted:
        assert line in output, f"{line!r} not in {output}"


def test_an_inserted_admin_with_a_known_token_is_named(victim):
    sql(victim, "INSERT INTO users (id, name, role, token_hash, token_prefix, active, created_at) "
                "VALUES ('u-evil', 'evil', 'admin', 'x', 'truce_ev', :t, :now)",
        t=True, now=datetime.now(UTC))
    code, output = verify(victim)
    assert code == 1
    assert "users u-evil: row has no ledger entry" in output, output


def test_a_role_raised_from_liaison_to_admin_is_named(victim):
    sql(victim, "UPDATE users SET role = 'admin' WHERE name = 'liaison-arm'")
    code, output = verify(victim)
    assert code == 1 and "role differs" in output, output


def _truncate_tail(url: str, keep: int) -> None:
    """Delete the newest entries and every row they wrote, then make the
    ledger self-consistent again (head reset, tree rebuilt)."""
    _drop_report_immutability(url)  # the attacker first drops what keeps reports and key history append-only
    if url.startswith("sqlite"):
        sql(url, "DROP TRIGGER user_keys_no_delete")
    else:
        sql(url, "DROP TRIGGER user_keys_append_only ON user_keys")
    engine = make_engine(url)
    with engine.begin() as c:
        for (content,) in c.execute(text("SELECT content FROM ledger WHERE seq > :k AND action = 'row.insert' "
                                         "ORDER BY seq DESC"), {"k": keep}).all():  # children before parents
            content = content if isinstance(content, dict) else __import__("json").loads(content)
            table = RECORD_TABLES[content["table"]]
            where = " AND ".join(f'"{c.name}" = :p{i}' for i, c in enumerate(table.primary_key.columns))
            c.execute(text(f'DELETE FROM "{table.name}" WHERE {where}'),
                      {f"p{i}": v for i, v in enumerate(content["key"])})
        c.execute(text("DELETE FROM ledger WHERE seq > :k"), {"k": keep})
        c.execute(text("DELETE FROM ledger_nodes"))
        c.execute(text("UPDATE ledger_head SET seq = :k, entry_hash = (SELECT entry_hash FROM ledger WHERE seq = :k)"),
                  {"k": keep})
        ledger.rebuild_tree(c)
    engine.dispose()


def test_a_truncated_tail_with_the_head_reset_is_detected_against_an_earlier_checkpoint(victim, keys):
    earlier = checkpoint(victim, keys, "earlier")
    engine = make_engine(victim)
    with UnitOfWork(engine, actor="analyst") as uow:  # the entries the attacker will remove
        add_user(uow, "later-analyst", "analyst", datetime.now(UTC))
        uow.commit()
    with engine.connect() as c:
        size_before = ledger.head(c)[0]
    engine.dispose()
    # remove the new user and more: the tail back to before the earlier checkpoint
    _truncate_tail(victim, size_before - 10)
    code, output = verify(victim)  # consistent with itself, but for the trigger the attacker dropped...
    assert code == 1 and "safeguard: trigger user_keys_" in output and "tampered" not in output, output
    code, output = verify(victim, "--checkpoint", earlier, "--log-key", str(keys / "log.key.pub"))
    assert code == 1  # ...but not with what was published
    covered = int(open(earlier).read().split("\n")[1])
    kept = size_before - 10
    assert (f"ledger tampered: the ledger has {kept} entries but a checkpoint signed earlier covers {covered}: "
            f"entries {kept + 1}..{covered} were removed") in output, output


def test_a_truncated_tail_is_named_as_truncation_against_the_stored_cosignatures(victim, keys):
    first = checkpoint(victim, keys, "first", cosign=True)
    engine = make_engine(victim)
    with UnitOfWork(engine, actor="analyst") as uow:
        add_user(uow, "later-analyst", "analyst", datetime.now(UTC))
        uow.commit()
    with engine.connect() as c:
        size = ledger.head(c)[0]
    engine.dispose()
    checkpoint(victim, keys, "second", cosign=True)
    kept = int(open(first).read().split("\n")[1])
    _truncate_tail(victim, kept)
    code, output = verify(victim)
    assert code == 1
    assert (f"the ledger has {kept} entries, a checkpoint (cosigned by arm.example/k) had {size} > {kept}: "
            f"entries {kept + 1}..{size} were removed (the ledger was truncated); the checkpoint at {kept} "
            "entries (cosigned by arm.example/k) still matches") in output, output
    assert "rewritten" not in output and "differ from" not in output, output


def test_a_full_rewrite_with_recomputed_hashes_is_detected_against_a_cosigned_checkpoint(victim, keys):
    cosigned = checkpoint(victim, keys, "cosigned", cosign=True)
    claim = first_key(victim, "claims")
    rewrite_history(victim, "claims", claim, "stance", "denies")
    # every hash recomputed, but the witness's cosignature stored beside the ledger no longer matches
    code, output = verify(victim)
    assert code == 1 and "differ from what the checkpoint at" in output, output
    sql(victim, "DELETE FROM cosignatures")  # the attacker removes it too: consistent with itself
    assert verify(victim)[0] == 0
    code, output = verify(victim, "--checkpoint", cosigned, "--log-key", str(keys / "log.key.pub"),
                          "--witness", str(keys / "arm.key.pub"))
    assert code == 1
    assert "history was rewritten" in output, output
    # the log key's holder can sign the rewritten tree, but no witness cosigned it
    resigned = checkpoint(victim, keys, "resigned")
    code, output = verify(victim, "--checkpoint", resigned, "--log-key", str(keys / "log.key.pub"),
                          "--witness", str(keys / "arm.key.pub"))
    assert code == 1 and "no signature by witness arm.example/k" in output, output


# SQLite keeps whatever SQL writes in a date column; PostgreSQL refuses it
NOT_DATES = [("incidents", "start", "'garbage'"), ("line_versions", "valid_from", "'2020-13-45'"),
             ("incident_geo", "line_valid_from", "'not a day'"), ("controls", "start", "'soon'")]


def test_a_value_no_date_column_can_hold_is_named_and_every_other_check_goes_on(victim_sqlite):
    url = victim_sqlite
    named = []
    for table, column, value in NOT_DATES:
        key = first_key(url, table)
        pk = [c.name for c in RECORD_TABLES[table].primary_key.columns][0]
        sql(url, f'UPDATE "{table}" SET "{column}" = {value} WHERE "{pk}" = :k', k=key)
        named.append(f"tampered: {table} {key}: {column} = {value}: not a value of its column's type")
    other = first_key(url, "claims")
    sql(url, "UPDATE claims SET text = 'never said' WHERE id = :k", k=other)
    code, output = verify(url)
    assert code == 1
    assert "Traceback" not in output and "Invalid isoformat" not in output, output
    for line in named:
        assert line in output, f"{line!r} not in {output}"
    assert f"tampered: claims {other}: text differs" in output, output  # the same table's other rows, and others
    assert f"{len(NOT_DATES) + 1} rows differ" in output, output


def test_a_moment_or_date_rewritten_as_other_text_for_the_same_value_is_named(victim_sqlite):
    """The same instant in another shape reads back equal, so the row matches
    its entry; but SQLite compares the text, so the incident would drop out
    of its day's list, its bundle and every export."""
    url = victim_sqlite
    incident, start = _one(url, "SELECT id, start FROM incidents ORDER BY id LIMIT 1")
    moment = start.replace(" ", "T") + "+00:00"  # the same instant, ISO-shaped
    sql(url, "UPDATE incidents SET start = :m WHERE id = :k", m=moment, k=incident)
    control = first_key(url, "controls")
    day = _one(url, "SELECT start FROM controls WHERE id = :k", k=control)[0]
    sql(url, "UPDATE controls SET start = :d WHERE id = :k", d=f"{day}T00:00", k=control)
    code, output = verify(url)
    assert code == 1, output
    assert f"tampered: incidents {incident}: start = {moment!r}: not a value of its column's type" in output, output
    assert f"tampered: controls {control}: start = '{day}T00:00'" in output, output
    assert "2 rows differ" in output, output


def test_an_altered_stored_merkle_node_is_named(victim):
    """The stored nodes give every proof: one altered there (the entries and
    the frontier untouched) is named, with its level and index."""
    engine = make_engine(victim)
    with engine.connect() as c:
        key = c.execute(text("SELECT min(key) FROM ledger_nodes")).scalar_one()
    engine.dispose()
    zeros = "zeroblob(32)" if victim.startswith("sqlite") else "decode(repeat('00', 32), 'hex')"
    sql(victim, f"UPDATE ledger_nodes SET hash = {zeros} WHERE key = {key}")
    code, output = verify(victim)
    assert code == 1, output
    assert "the stored Merkle node at level 1, index 0 does not match the entries" in output, output


def test_a_place_spelling_written_around_truce_is_named(victim):
    """Place search reads the derived spellings: pointing "Khankendi" at
    Hadrut, dropping a spelling or adding one no place has is each named."""
    sql(victim, "UPDATE place_names SET place_id = 'truce:hadrut' WHERE key = 'khankendi'")
    sql(victim, "DELETE FROM place_names WHERE key = 'shusha'")
    sql(victim, "INSERT INTO place_names (place_id, key, name) VALUES ('gn:584871', 'atlantis', 'Atlantis')")
    _without_foreign_keys(victim, "INSERT INTO place_names (place_id, key, name) "
                                  "VALUES ('gn:nope', 'nowhere', 'Nowhere')")  # a spelling of no place
    code, output = verify(victim)
    assert code == 1, output
    assert "place_names truce:hadrut/khankendi: this spelling is not one of the place's names" in output
    assert "place_names gn:146970/khankendi: a spelling of this place is missing" in output
    assert "/shusha: a spelling of this place is missing" in output
    assert "place_names gn:584871/atlantis: this spelling is not one of the place's names" in output
    assert "place_names gn:nope/nowhere: this spelling is not one of the place's names" in output


def _without_foreign_keys(url: str, statement: str) -> None:
    """As from a database console: SQLite's own shell leaves foreign keys off;
    a PostgreSQL superuser turns their triggers off for the session."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as c:
            c.execute(statement)
    else:
        engine = make_engine(url)
        with engine.begin() as c:
            c.execute(text("SET LOCAL session_replication_role = replica"))
            c.execute(text(statement))
        engine.dispose()


def test_a_stored_merkle_node_that_is_not_bytes_is_named_not_a_crash(victim_sqlite):
    engine = make_engine(victim_sqlite)
    with engine.connect() as c:
        key = c.execute(text("SELECT min(key) FROM ledger_nodes")).scalar_one()
    engine.dispose()
    sql(victim_sqlite, f"UPDATE ledger_nodes SET hash = 'not a hash' WHERE key = {key}")
    code, output = verify(victim_sqlite)
    assert code == 1 and "Traceback" not in output, output
    assert "the stored Merkle node at level 1, index 0 does not match the entries" in output, output


def test_tasking_written_around_truce_is_named(victim):
    """Observer tasking is reconciled like every record table: a task's field
    changed, a report's link to its task moved, deleted or made up, and a task
    inserted or deleted by SQL are each named, with table, id and field."""
    answered, report = _one(victim, "SELECT task_id, report_id FROM task_reports")
    other = _one(victim, "SELECT id FROM tasks WHERE id <> :k", k=answered)[0]
    sql(victim, "UPDATE tasks SET title = 'nothing happened', radius_m = 1 WHERE id = :k", k=answered)
    sql(victim, "UPDATE task_reports SET linked_at = :t WHERE task_id = :k", k=answered,
        t=datetime(2020, 1, 1, tzinfo=UTC))
    sql(victim, "DELETE FROM tasks WHERE id = :k", k=other)
    sql(victim, "INSERT INTO tasks (id, title, look_for, window_start, window_end, status, created_at) "
                "VALUES ('task-forged', 't', 'l', :t, :t, 'open', :t)", t=datetime.now(UTC))
    sql(victim, "INSERT INTO task_reports (task_id, report_id, linked_at) VALUES ('task-forged', :r, :t)",
        r=report, t=datetime.now(UTC))
    code, output = verify(victim)
    assert code == 1, output
    for line in (f"tampered: tasks {answered}: title, radius_m differ from ledger entry",
                 f"tampered: task_reports {answered}/{report}: linked_at differs from ledger entry",
                 f"tampered: tasks {other}: row is missing",
                 "tampered: tasks task-forged: row has no ledger entry",
                 f"tampered: task_reports task-forged/{report}: row has no ledger entry"):
        assert line in output, f"{line!r} not in {output}"


def test_a_deleted_answer_to_a_task_is_named(victim):
    answered, report = _one(victim, "SELECT task_id, report_id FROM task_reports")
    sql(victim, "DELETE FROM task_reports WHERE task_id = :k", k=answered)
    code, output = verify(victim)
    assert code == 1, output
    assert f"tampered: task_reports {answered}/{report}: row is missing (ledger entry " in output, output


def _one(url: str, query: str, **params) -> tuple:
    engine = make_engine(url)
    with engine.connect() as c:
        row = tuple(c.execute(text(query), params).one())
    engine.dispose()
    return row
