"""Log keys, signed checkpoints and witnesses' cosignatures through the CLI."""

from __future__ import annotations

import os
import stat

import pytest
from typer.testing import CliRunner

from truce.cli import app
from truce.domain.exceptions import TruceError
from truce.service.checkpoints import load_key
from truce.store import ledger
from truce.store.engine import make_engine
from truce.store.uow import UnitOfWork
from truce.verifier import Checkpoint, VerificationFailed, parse_vkey, verify_checkpoint

runner = CliRunner()


class Outcome:
    """A command's exit code and everything it said (truce's own errors reach
    the user as one line through ``truce.cli.main``; the runner raises them)."""

    def __init__(self, result):
        self.exit_code = 1 if isinstance(result.exception, TruceError) else result.exit_code
        self.output = result.output + (str(result.exception) if isinstance(result.exception, TruceError) else "")
        self.stdout = result.stdout


def run(*args: str) -> Outcome:
    return Outcome(runner.invoke(app, list(args)))


@pytest.fixture
def mission(tmp_path):
    """A database with five entries, a log key and two witnesses' keys."""
    db = str(tmp_path / "t.db")
    assert run("init", "--db", db).exit_code == 0
    engine = make_engine(db)
    with UnitOfWork(engine, actor="test") as uow:
        for n in range(5):
            uow.record("test.write", f"r{n}", {"n": n})
        uow.commit()
    for name, args in (("log", []), ("arm", ["--witness"]), ("aze", ["--witness"])):
        result = run("ledger", "keygen", "-o", str(tmp_path / f"{name}.key"), "--name", f"{name}.example/k", *args)
        assert result.exit_code == 0, result.output
    return tmp_path, db, engine


def test_keygen_writes_a_private_file_and_its_verifier_key(mission):
    tmp, _db, _engine = mission
    assert stat.S_IMODE((tmp / "log.key").stat().st_mode) == 0o600
    verifier = parse_vkey((tmp / "log.key.pub").read_text())
    assert verifier.name == "log.example/k" and verifier.sig_type == 0x01
    assert parse_vkey((tmp / "arm.key.pub").read_text()).sig_type == 0x04
    again = run("ledger", "keygen", "-o", str(tmp / "log.key"))
    assert again.exit_code == 1 and "never overwritten" in again.output


def test_a_log_key_readable_by_others_is_refused_in_one_line(mission):
    tmp, db, _engine = mission
    os.chmod(tmp / "log.key", 0o644)
    result = run("ledger", "checkpoint", "--db", db, "--key", str(tmp / "log.key"))
    assert result.exit_code == 1
    assert "readable by others" in result.output and "chmod 600" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_checkpoint_is_a_signed_note_of_the_merkle_root(mission):
    tmp, db, engine = mission
    result = run("ledger", "checkpoint", "--db", db, "--key", str(tmp / "log.key"))
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    assert lines[0] == "log.example/k" and lines[1] == "5" and lines[3] == ""
    assert lines[4].startswith("\u2014 log.example/k ")
    note = verify_checkpoint(result.output, parse_vkey((tmp / "log.key.pub").read_text()))
    with engine.connect() as c:
        assert note.root == ledger.tree_size(c)[1]
    altered = result.output.replace("\n5\n", "\n4\n")
    with pytest.raises(VerificationFailed, match="does not verify"):
        verify_checkpoint(altered, parse_vkey((tmp / "log.key.pub").read_text()))


def _checkpoint(tmp, db, name="cp.txt"):
    path = tmp / name
    assert run("ledger", "checkpoint", "--db", db, "--key", str(tmp / "log.key"), "-o", str(path)).exit_code == 0
    return path


def _signed_anyway(tmp, engine, name: str):
    """A checkpoint of a history `truce ledger checkpoint` refuses to sign (it contradicts a cosigned
    one), signed by someone holding the log key with code of their own: what a witness must refuse."""
    from truce.service import checkpoints

    path = tmp / name
    with engine.connect() as c:
        path.write_text(checkpoints.checkpoint_at(c, load_key(tmp / "log.key")).text)
    return path


def test_witnesses_cosign_and_the_checkpoint_carries_their_cosignatures(mission):
    tmp, db, engine = mission
    first = _checkpoint(tmp, db, "first.txt")
    for witness in ("arm", "aze"):
        result = run("ledger", "cosign", str(first), "--key", str(tmp / f"{witness}.key"),
                     "--log-key", str(tmp / "log.key.pub"), "--db", db)
        assert result.exit_code == 0, result.output
    served = _checkpoint(tmp, db, "served.txt").read_text()
    keys = ["--log-key", str(tmp / "log.key.pub"), "--witness", str(tmp / "arm.key.pub"),
            "--witness", str(tmp / "aze.key.pub")]
    ok = run("ledger", "check", str(tmp / "served.txt"), *keys)
    assert ok.exit_code == 0, ok.output
    assert "cosigned by arm.example/k, aze.example/k" in ok.output
    assert len(Checkpoint.parse(served).signatures) == 3

    # a later tree extends it: the witness checks consistency from what it cosigned
    with UnitOfWork(engine, actor="test") as uow:
        uow.record("test.write", "r9", {"n": 9})
        uow.commit()
    later = _checkpoint(tmp, db, "later.txt")
    result = run("ledger", "cosign", str(later), "--key", str(tmp / "arm.key"),
                 "--log-key", str(tmp / "log.key.pub"), "--since", str(first), "--db", db)
    assert result.exit_code == 0, result.output
    assert Checkpoint.parse(result.output).size == 6


def test_check_names_a_missing_or_forged_cosignature(mission):
    tmp, db, _engine = mission
    cp = _checkpoint(tmp, db)
    assert run("ledger", "cosign", str(cp), "--key", str(tmp / "arm.key"),
               "--log-key", str(tmp / "log.key.pub"), "--db", db).exit_code == 0
    served = _checkpoint(tmp, db, "served.txt")
    missing = run("ledger", "check", str(served), "--log-key", str(tmp / "log.key.pub"),
                  "--witness", str(tmp / "aze.key.pub"))
    assert missing.exit_code == 1 and "no signature by witness aze.example/k" in missing.output
    note = Checkpoint.parse(served.read_text())
    cosig = note.signatures[1]
    forged = type(cosig)(cosig.name, cosig.key_id, cosig.signature[:-1] + bytes([cosig.signature[-1] ^ 1]))
    (tmp / "forged.txt").write_text(Checkpoint(note.origin, note.size, note.root, (),
                                               (note.signatures[0], forged)).text)
    bad = run("ledger", "check", str(tmp / "forged.txt"), "--log-key", str(tmp / "log.key.pub"),
              "--witness", str(tmp / "arm.key.pub"))
    assert bad.exit_code == 1 and "cosignature by witness arm.example/k does not verify" in bad.output


def test_a_witness_refuses_a_checkpoint_that_does_not_extend_what_it_cosigned(mission):
    tmp, db, engine = mission
    first = _checkpoint(tmp, db, "first.txt")
    with engine.begin() as c:  # history rewritten below the old size, hashes recomputed
        c.exec_driver_sql("DELETE FROM ledger WHERE seq >= 3")
        c.exec_driver_sql("DELETE FROM ledger_nodes")
        c.exec_driver_sql("UPDATE ledger_head SET seq = 2, entry_hash = (SELECT entry_hash FROM ledger WHERE seq = 2)")
        ledger.rebuild_tree(c)
    with UnitOfWork(engine, actor="test") as uow:
        for n in range(4):
            uow.record("test.write", f"forged{n}", {"n": -n})
        uow.commit()
    rewritten = _checkpoint(tmp, db, "rewritten.txt")
    result = run("ledger", "cosign", str(rewritten), "--key", str(tmp / "arm.key"),
                 "--log-key", str(tmp / "log.key.pub"), "--since", str(first), "--db", db)
    assert result.exit_code == 1
    assert "refusing to cosign" in result.output and "does not extend" in result.output


def test_a_witness_key_is_not_a_log_key(mission):
    tmp, db, _engine = mission
    result = run("ledger", "checkpoint", "--db", db, "--key", str(tmp / "arm.key"))
    assert result.exit_code == 1 and "is not a log key" in result.output
    with pytest.raises(Exception, match="is not a witness key"):
        load_key(tmp / "log.key", witness=True)


def _stored(engine) -> list[tuple]:
    with engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql(
            "SELECT tree_size, witness, root_hash, line FROM cosignatures ORDER BY tree_size, witness")]


def _rewrite_keeping_size(engine, keep: int = 2) -> None:
    """Entries after ``keep`` replaced by forged ones, every hash recomputed, the tree as large as before."""
    with engine.begin() as c:
        size = c.exec_driver_sql("SELECT seq FROM ledger_head").scalar_one()
        c.exec_driver_sql(f"DELETE FROM ledger WHERE seq > {keep}")
        c.exec_driver_sql("DELETE FROM ledger_nodes")
        c.exec_driver_sql(f"UPDATE ledger_head SET seq = {keep}, "
                          f"entry_hash = (SELECT entry_hash FROM ledger WHERE seq = {keep})")
        ledger.rebuild_tree(c)
    with UnitOfWork(engine, actor="test") as uow:
        for n in range(size - keep):
            uow.record("test.write", f"forged{n}", {"n": -n})
        uow.commit()


def _cosign(tmp, db, checkpoint, *extra):
    return run("ledger", "cosign", str(checkpoint), "--key", str(tmp / "arm.key"),
               "--log-key", str(tmp / "log.key.pub"), *extra, "--db", db)


def test_cosign_without_since_refuses_a_history_conflicting_with_the_witness_s_stored_cosignature(mission):
    tmp, db, engine = mission
    assert _cosign(tmp, db, _checkpoint(tmp, db, "first.txt")).exit_code == 0
    kept = _stored(engine)
    _rewrite_keeping_size(engine)  # the same size, another root
    refused = run("ledger", "checkpoint", "--db", db, "--key", str(tmp / "log.key"))
    assert refused.exit_code == 1 and "refusing to sign a checkpoint" in refused.output, refused.output
    result = _cosign(tmp, db, _signed_anyway(tmp, engine, "same-size.txt"))
    assert result.exit_code == 1, result.output
    assert "refusing to cosign" in result.output and "another root" in result.output, result.output
    with UnitOfWork(engine, actor="test") as uow:  # and grown past it
        uow.record("test.write", "r9", {"n": 9})
        uow.commit()
    result = _cosign(tmp, db, _signed_anyway(tmp, engine, "grown.txt"))
    assert result.exit_code == 1, result.output
    assert "refusing to cosign" in result.output and "does not extend" in result.output, result.output
    assert "arm.example/k cosigned last" in result.output, result.output
    assert _stored(engine) == kept, "the witness's earlier cosignature stays as it was"


def test_cosign_warns_when_it_has_nothing_of_its_own_to_check_consistency_against(mission):
    tmp, db, _engine = mission
    first = _checkpoint(tmp, db, "first.txt")
    done = _cosign(tmp, db, first)
    assert done.exit_code == 0, done.output
    warning = ("warning: arm.example/k has no earlier cosignature of its own stored here and no --since was "
               "given: this checkpoint cannot be checked for consistency with anything you have seen")
    assert warning in done.output and "pass --since with the last checkpoint you cosigned" in done.output
    assert warning not in done.stdout, "the warning goes to stderr: stdout is the cosigned checkpoint"
    later = _checkpoint(tmp, db, "later.txt")
    again = _cosign(tmp, db, later)
    assert again.exit_code == 0 and "warning" not in again.output, again.output  # its own stored one is checked


def test_a_refusal_names_which_checkpoint_does_not_extend_which(mission):
    tmp, db, engine = mission
    with UnitOfWork(engine, actor="test") as uow:
        uow.record("test.write", "r9", {"n": 9})
        uow.commit()
    larger = _checkpoint(tmp, db, "larger.txt")  # 6 entries, kept by the witness
    _rewrite_keeping_size(engine)  # 6 entries of another history
    with UnitOfWork(engine, actor="test") as uow:
        uow.record("test.write", "r10", {"n": 10})
        uow.commit()
    from truce.service import checkpoints

    smaller = tmp / "smaller.txt"  # the rewritten history at 5 entries, signed by whoever holds the log key
    with engine.connect() as c:
        smaller.write_text(checkpoints.checkpoint_at(c, load_key(tmp / "log.key"), 5).text)
    result = _cosign(tmp, db, smaller, "--since", str(larger))
    assert result.exit_code == 1, result.output
    assert ("the --since checkpoint (6 entries) does not extend this checkpoint (5 entries): history was "
            "rewritten") in result.output, result.output


def test_cosigning_the_same_checkpoint_again_keeps_the_stored_cosignature(mission):
    tmp, db, engine = mission
    first = _checkpoint(tmp, db, "first.txt")
    done = _cosign(tmp, db, first)
    assert done.exit_code == 0, done.output
    kept = _stored(engine)
    again = _cosign(tmp, db, first)
    assert again.exit_code == 0, again.output
    assert "had already cosigned this checkpoint" in again.output
    assert _stored(engine) == kept
    assert Checkpoint.parse(done.stdout).signatures[1].line in again.output


def test_a_stored_cosignature_is_never_replaced_by_one_of_another_root(mission):
    from datetime import UTC, datetime

    from truce.domain.exceptions import Conflict
    from truce.service import checkpoints

    tmp, db, engine = mission
    first = Checkpoint.parse(_checkpoint(tmp, db, "first.txt").read_text())
    witness, log = load_key(tmp / "arm.key", witness=True), parse_vkey((tmp / "log.key.pub").read_text())
    now = datetime.now(UTC)
    with engine.begin() as c:
        checkpoints.witness_cosign(c, first, witness, log, now)
    kept = _stored(engine)
    _rewrite_keeping_size(engine)
    other = Checkpoint.parse(_signed_anyway(tmp, engine, "other.txt").read_text())
    assert other.size == first.size and other.root != first.root
    with engine.begin() as c, pytest.raises(Conflict, match="never replaced"):
        checkpoints.store_cosignature(c, other, witness.verifier, checkpoints.cosign(other, witness, log, now), now)
    assert _stored(engine) == kept


def test_a_witness_key_given_as_the_log_key_or_the_log_key_as_a_witness_is_refused(mission):
    tmp, db, _engine = mission
    cp = _checkpoint(tmp, db)
    assert _cosign(tmp, db, cp, "-o", str(tmp / "cosigned.txt")).exit_code == 0
    for args, named in ((["--log-key", str(tmp / "arm.key.pub")], "is a witness key (type 0x04), not a log key"),
                        (["--log-key", str(tmp / "log.key.pub"), "--witness", str(tmp / "log.key.pub")],
                         "is a log key (type 0x01), not a witness key")):
        result = run("ledger", "check", str(tmp / "cosigned.txt"), *args)
        assert result.exit_code == 1 and named in result.output, result.output
        result = run("ledger", "verify", "--db", db, "--checkpoint", str(tmp / "cosigned.txt"), *args)
        assert result.exit_code == 1 and named in result.output, result.output
    result = run("ledger", "cosign", str(cp), "--key", str(tmp / "arm.key"), "--log-key", str(tmp / "arm.key.pub"),
                 "--db", db)
    assert result.exit_code == 1 and "not a log key" in result.output, result.output


def test_verify_with_a_pinned_witness_names_a_stored_cosignature_made_with_another_key(mission):
    from sqlalchemy import text

    tmp, db, engine = mission
    result = run("ledger", "keygen", "-o", str(tmp / "impostor.key"), "--name", "arm.example/k", "--witness")
    assert result.exit_code == 0, result.output
    first = _checkpoint(tmp, db, "first.txt")
    forged = run("ledger", "cosign", str(first), "--key", str(tmp / "impostor.key"),
                 "--log-key", str(tmp / "log.key.pub"), "--db", db)
    assert forged.exit_code == 0, forged.output
    # (the fixture's test.write entries are named by any verify: what matters here is the cosignatures)
    trusting = run("ledger", "verify", "--db", db)  # keys as stored: the impostor's cosignature counts
    assert "not covered" not in trusting.output and "cosignature" not in trusting.output, trusting.output
    pinned = ["--witness", str(tmp / "arm.key.pub"), "--log-key", str(tmp / "log.key.pub")]
    check = run("ledger", "verify", "--db", db, *pinned)
    assert check.exit_code == 1, check.output
    assert ("forged: the stored cosignature of 5 entries by arm.example/k names another key "
            "(arm.example/k+") in check.output, check.output
    assert "every entry is covered" not in check.output
    assert "entries 1..5 (5) are not covered by a cosigned checkpoint yet" in check.output, check.output
    # the impostor's cosignature relabelled with the real witness's key does not verify with it
    real = (tmp / "arm.key.pub").read_text().strip()
    with engine.begin() as c:
        c.execute(text("UPDATE cosignatures SET vkey = :v"), {"v": real})
    check = run("ledger", "verify", "--db", db, *pinned)
    assert check.exit_code == 1, check.output
    assert ("forged: the stored cosignature of 5 entries by arm.example/k does not verify with the key you "
            "pinned") in check.output, check.output
    assert run("ledger", "verify", "--db", db, "--witness", str(tmp / "arm.key.pub")).exit_code == 1


def test_cosign_refuses_a_witness_key_other_than_the_one_stored_for_its_name(mission):
    tmp, db, engine = mission
    result = run("ledger", "keygen", "-o", str(tmp / "impostor.key"), "--name", "arm.example/k", "--witness")
    assert result.exit_code == 0, result.output
    first = _checkpoint(tmp, db, "first.txt")
    forged = run("ledger", "cosign", str(first), "--key", str(tmp / "impostor.key"),
                 "--log-key", str(tmp / "log.key.pub"), "--db", db)
    assert forged.exit_code == 0, forged.output
    kept = _stored(engine)
    with UnitOfWork(engine, actor="test") as uow:
        uow.record("test.write", "r9", {"n": 9})
        uow.commit()
    later = _checkpoint(tmp, db, "later.txt")
    refused = _cosign(tmp, db, later)
    assert refused.exit_code == 1, refused.output
    assert "a cosignature by arm.example/k of 5 entries is stored here with another key" in refused.output
    assert _stored(engine) == kept
    ok = run("ledger", "verify", "--db", db, "--witness", str(tmp / "aze.key.pub"),
             "--log-key", str(tmp / "log.key.pub"))
    assert "entries 1..6 (6) are not covered by a cosigned checkpoint yet" in ok.output, ok.output
    assert "stored cosignature" not in ok.output, ok.output  # arm's are not aze's to answer for


def _tamper_frontier(engine) -> None:
    from sqlalchemy import select, update

    from truce.store.tables import ledger_head

    with engine.begin() as c:  # plain SQL: one byte of the head's frontier, the root a checkpoint signs
        blob = bytearray(c.execute(select(ledger_head.c.frontier)).scalar_one())
        blob[-1] ^= 1
        c.execute(update(ledger_head).values(frontier=bytes(blob)))


def test_checkpoint_refuses_to_sign_a_frontier_the_entries_do_not_give(mission):
    tmp, db, engine = mission
    _tamper_frontier(engine)
    result = run("ledger", "checkpoint", "--key", str(tmp / "log.key"), "--db", db, "-o", str(tmp / "cp.txt"))
    assert result.exit_code == 1, result.output
    assert "refusing to sign a checkpoint: " in result.output and "frontier does not match" in result.output
    assert "run `truce ledger verify` to see what differs" in result.output, result.output
    assert not (tmp / "cp.txt").exists()


def test_checkpoint_refuses_to_sign_a_ledger_whose_entries_were_altered(mission):
    from sqlalchemy import text

    tmp, db, engine = mission
    with engine.begin() as c:
        c.execute(text("UPDATE ledger SET content = '{\"n\": 9}' WHERE seq = 3"))
    result = run("ledger", "checkpoint", "--key", str(tmp / "log.key"), "--db", db)
    assert result.exit_code == 1 and "refusing to sign a checkpoint: entry 3: content was altered" \
        in result.output, result.output


def test_cosign_refuses_a_frontier_the_entries_do_not_give(mission):
    tmp, db, engine = mission
    checkpoint = _checkpoint(tmp, db)
    before = _stored(engine)
    _tamper_frontier(engine)
    result = _cosign(tmp, db, checkpoint)
    assert result.exit_code == 1, result.output
    assert "refusing to cosign: the stored Merkle frontier does not match" in result.output, result.output
    assert _stored(engine) == before


def test_verify_names_the_entry_it_is_about_not_its_neighbour(mission):
    """On a ledger of 5 entries: a frontier that differs is the tree of those 5
    (no "entry 6"), a head one short names entry 5, and an altered entry is
    named once, as itself."""
    from sqlalchemy import text

    tmp, db, engine = mission
    _tamper_frontier(engine)
    result = run("ledger", "verify", "--db", db)
    assert result.exit_code == 1, result.output
    assert "ledger tampered: the stored Merkle frontier does not match the tree of the 5 entries" in result.output
    assert "entry 6" not in result.output, result.output
    from truce.store import ledger

    with engine.begin() as c:
        c.execute(text("DELETE FROM ledger_nodes"))
        ledger.rebuild_tree(c)
        assert ledger.verify(c).ok
        c.execute(text("UPDATE ledger_head SET seq = 4"))
        check = ledger.verify(c)
    assert check.first_bad == 5 and check.reason == "the head records entry 4 but the chain ends at entry 5", check
    with engine.begin() as c:
        c.execute(text("UPDATE ledger_head SET seq = 5"))
        c.execute(text("UPDATE ledger SET content = '{\"n\": 99}' WHERE seq = 3"))
    result = run("ledger", "verify", "--db", db)
    assert result.exit_code == 1 and "ledger tampered: entry 3: content was altered" in result.output, result.output
    assert "entry 3: entry 3" not in result.output, result.output
    result = run("ledger", "checkpoint", "--key", str(tmp / "log.key"), "--db", db)
    assert "refusing to sign a checkpoint: entry 3: content was altered" in result.output, result.output
