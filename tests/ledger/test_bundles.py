"""`truce export bundle` and `truce verify`: a day's published record checked
offline, with no database; any change refused in one line."""

from __future__ import annotations

import ast
import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_main import token_for
from truce.cli import app
from truce.domain.exceptions import TruceError
from truce.settings import get_settings

runner = CliRunner()
VERIFIER = Path(__file__).resolve().parents[2] / "src" / "truce" / "verifier.py"
DAY = "2020-10-14"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, TruceError):
        return 1, result.output + str(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def mission(demo_db, tmp_path, monkeypatch):
    """The demo database with a log key, the day's manifest committed and
    cosigned by one witness, and a checkpoint seen earlier; returns (db, tmp)."""
    for name, args in (("log", []), ("arm", ["--witness"])):
        made = run("ledger", "keygen", "-o", str(tmp_path / f"{name}.key"), "--name", f"{name}.example/k", *args)
        assert made[0] == 0
    monkeypatch.setenv("TRUCE_LOG_KEY", str(tmp_path / "log.key"))
    get_settings.cache_clear()
    db = str(demo_db)
    assert run("ledger", "checkpoint", "--db", db, "--size", "100", "-o", str(tmp_path / "earlier.txt"))[0] == 0
    code, output = run("export", "bundle", "--date", DAY, "-o", str(tmp_path / "first.json"), "--db", db)
    assert code == 0 and "no witness has cosigned this tree yet" in output, output  # the manifest is new
    assert run("ledger", "checkpoint", "--db", db, "-o", str(tmp_path / "now.txt"))[0] == 0
    code, output = run("ledger", "cosign", str(tmp_path / "now.txt"), "--key", str(tmp_path / "arm.key"),
                       "--log-key", str(tmp_path / "log.key.pub"), "--db", db)
    assert code == 0, output
    code, output = run("export", "bundle", "--date", DAY, "--since", str(tmp_path / "earlier.txt"),
                       "-o", str(tmp_path / "day.json"), "--db", db)
    assert code == 0, output
    yield db, tmp_path
    get_settings.cache_clear()


def verify(tmp: Path, bundle: Path | None = None, *extra: str) -> tuple[int, str]:
    return run("verify", str(bundle or tmp / "day.json"), "--since", str(tmp / "earlier.txt"),
               "--log-key", str(tmp / "log.key.pub"), "--witness", str(tmp / "arm.key.pub"), *extra)


def test_a_days_bundle_verifies_offline(mission):
    _db, tmp = mission
    bundle = json.loads((tmp / "day.json").read_text())
    tables = {r["table"] for r in bundle["records"]}
    assert {"incidents", "claims"} <= tables and "reports" not in tables
    code, output = verify(tmp)
    assert code == 0, output
    assert f"ok: {len(bundle['records'])} records" in output and "cosigned by arm.example/k" in output
    assert "extends the checkpoint at 100 entries" in output


def test_the_standalone_verifier_needs_only_the_standard_library_and_cryptography(mission, tmp_path):
    _db, tmp = mission
    tree = ast.parse(VERIFIER.read_text())
    imported = {(n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
                for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)
                for a in (n.names if isinstance(n, ast.Import) else [n])}
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "verifier.py").write_text(VERIFIER.read_text())
    log_key = (tmp / "log.key.pub").read_text().strip()
    witness = (tmp / "arm.key.pub").read_text().strip()
    done = subprocess.run([sys.executable, "-I", "verifier.py", str(tmp / "day.json"), "--since",
                           str(tmp / "earlier.txt"), "--log-key", log_key, "--witness", witness],
                          cwd=alone, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ") and "warning" not in done.stdout


def test_both_verifiers_warn_alike_when_the_keys_are_the_bundles_own(mission, tmp_path):
    _db, tmp = mission
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "verifier.py").write_text(VERIFIER.read_text())
    warning = ("(warning: the log key and the witness keys taken from the bundle itself: this shows the bundle "
               "is self-consistent, not who made it; pin the keys you were given with --log-key and --witness)")
    done = subprocess.run([sys.executable, "-I", "verifier.py", str(tmp / "day.json")],
                          cwd=alone, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert warning in done.stdout, done.stdout
    result = runner.invoke(app, ["verify", str(tmp / "day.json")])
    assert result.exit_code == 0, result.output
    assert warning in " ".join(result.output.split()), result.output
    result = runner.invoke(app, ["verify", str(tmp / "day.json"), "--log-key", str(tmp / "log.key.pub")])
    assert "(warning: the witness keys taken from the bundle itself" in " ".join(result.output.split())


def _tampered(tmp: Path, change) -> Path:
    bundle = json.loads((tmp / "day.json").read_text())
    change(bundle)
    path = tmp / "tampered.json"
    path.write_text(json.dumps(bundle))
    return path


def _flip_b64(value: str) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def _set_content(b):
    b["records"][0]["content"]["row"]["title"] = "nothing happened"


def _set_proof(b):
    b["records"][0]["proof"][0] = _flip_b64(b["records"][0]["proof"][0])


def _set_entry(b):
    b["records"][1]["entry"]["actor"] = "someone else"


def _drop_cosignature(b):
    b["checkpoint"] = "\n".join(line for line in b["checkpoint"].split("\n") if "arm.example" not in line)


def _set_checkpoint_size(b):
    b["checkpoint"] = b["checkpoint"].replace("\n", "\n1", 1)


def _set_consistency(b):
    b["consistency"]["proof"][0] = _flip_b64(b["consistency"]["proof"][0])


def _remove_record(b):
    b["records"].pop(2)


def _set_date(b):
    b["date"] = "2020-10-15"


def _add_record(b):
    """A real entry of the log, with a valid proof, that is not one of the day's records."""
    b["records"].append({"table": "day", **b["manifest"]})


def _set_table(b):
    b["records"][0]["table"] = "reports"


@pytest.mark.parametrize(("change", "named"), [
    (_set_content, "its content does not match its ledger entry"),
    (_set_proof, "is not in the tree"),
    (_set_entry, "is not in the tree"),
    (_drop_cosignature, "no signature by witness arm.example/k"),
    (_set_checkpoint_size, "signature by log.example/k does not verify"),
    (_set_consistency, "does not extend"),
    (_remove_record, "which the day's manifest (ledger entry"),
    (_set_date, "the bundle says it is of 2020-10-15 but its manifest"),
    (_add_record, "which the day's manifest (ledger entry"),
    (_set_table, "is not its ledger entry's"),
], ids=["content", "proof", "entry", "cosignature", "checkpoint", "consistency", "removed", "date", "added",
        "table"])
def test_any_changed_byte_is_refused_in_one_line(mission, change, named):
    _db, tmp = mission
    code, output = verify(tmp, _tampered(tmp, change))
    assert code == 1
    assert named in output, output
    assert len(output.strip().splitlines()) == 1, output


@pytest.mark.parametrize("change", [_remove_record, _set_date, _add_record], ids=["removed", "date", "added"])
def test_the_standalone_verifier_refuses_a_bundle_not_matching_its_manifest(mission, change):
    _db, tmp = mission
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(_tampered(tmp, change)),
                           "--log-key", (tmp / "log.key.pub").read_text().strip(),
                           "--witness", (tmp / "arm.key.pub").read_text().strip()],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "manifest" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def _extra_in_record(b):
    b["records"][0]["note"] = "verified by the commission"


def _extra_in_entry(b):
    b["records"][1]["entry"]["cause"] = 1


def _extra_in_manifest(b):
    b["manifest"]["signed_by"] = "mediator"


def _extra_at_top(b):
    b["published_by"] = "the mission"


EXTRA_FIELDS = [(_extra_in_record, "record 1 (ledger entry", "'note'"),
                (_extra_in_entry, "record 2 (ledger entry", "'cause'"),
                (_extra_in_manifest, "the day's manifest (ledger entry", "'signed_by'"),
                (_extra_at_top, "the bundle has", "'published_by'")]


@pytest.mark.parametrize(("change", "where", "field"), EXTRA_FIELDS, ids=["record", "entry", "manifest", "top"])
def test_a_field_no_bundle_holds_is_refused_by_both_verifiers_naming_it(mission, change, where, field):
    _db, tmp = mission
    tampered = _tampered(tmp, change)
    code, output = verify(tmp, tampered)
    assert code == 1 and where in output and f"has a field {field} that no bundle holds" in output, output
    assert len(output.strip().splitlines()) == 1, output
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(tampered),
                           "--log-key", (tmp / "log.key.pub").read_text().strip(),
                           "--witness", (tmp / "arm.key.pub").read_text().strip()],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and f"has a field {field} that no bundle holds" in done.stderr, done.stderr


def test_the_days_manifest_is_appended_once_and_superseded_when_the_day_changes(mission):
    db, tmp = mission
    manifest = json.loads((tmp / "day.json").read_text())["manifest"]
    assert json.loads((tmp / "first.json").read_text())["manifest"]["entry"] == manifest["entry"]
    held = json.loads((tmp / "day.json").read_text())["records"]
    assert {(r["record_id"], r["content_hash"]) for r in manifest["content"]["records"]} == {
        (r["entry"]["record_id"], r["entry"]["content_hash"]) for r in held}
    incident = next(r for r in manifest["content"]["records"] if r["table"] == "incidents")["record_id"]
    code, output = run("incidents", "grade", incident.split("/", 1)[1], "--override", "corroborated",
                       "--reason", "the only source withdrew", "--token", token_for("demo-analyst", db), "--db", db)
    assert code == 0, output
    assert run("export", "bundle", "--date", DAY, "-o", str(tmp / "later.json"), "--db", db)[0] == 0
    later = json.loads((tmp / "later.json").read_text())["manifest"]
    assert later["content"]["supersedes"] == manifest["entry"]["seq"] < later["entry"]["seq"]


def test_a_bundle_proving_against_another_tree_is_refused(mission):
    db, tmp = mission
    assert run("ledger", "checkpoint", "--db", db, "--size", "2000", "-o", str(tmp / "other.txt"))[0] == 0
    assert run("ledger", "cosign", str(tmp / "other.txt"), "--key", str(tmp / "arm.key"),
               "--log-key", str(tmp / "log.key.pub"), "--db", db)[0] == 0
    other = run("ledger", "checkpoint", "--db", db, "--size", "2000")[1]

    def swap(b):
        b["checkpoint"] = other
    code, output = verify(tmp, _tampered(tmp, swap))
    assert code == 1 and "proof is for another tree" in output, output


def test_a_checkpoint_seen_later_than_the_bundle_is_refused(mission):
    db, tmp = mission
    code, output = run("verify", str(tmp / "day.json"), "--since", str(tmp / "day.json"),
                       "--log-key", str(tmp / "log.key.pub"), "--witness", str(tmp / "arm.key.pub"))
    assert code == 1 and len(output.strip().splitlines()) == 1, output


@pytest.mark.parametrize(("keys", "named"), [
    (("arm", "arm"), "is a witness key (type 0x04), not a log key"),
    (("log", "log"), "is a log key (type 0x01), not a witness key"),
], ids=["witness-as-log", "log-as-witness"])
def test_a_key_of_the_wrong_kind_is_refused_never_replaced_by_the_bundle_s_own(mission, keys, named):
    _db, tmp = mission
    log, witness = (str(tmp / f"{k}.key.pub") for k in keys)
    code, output = run("verify", str(tmp / "day.json"), "--log-key", log, "--witness", witness)
    assert code == 1 and named in output, output
    for log_key, witness_key in ((log, witness), (Path(log).read_text().strip(), Path(witness).read_text().strip())):
        done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(tmp / "day.json"), "--log-key", log_key,
                               "--witness", witness_key], capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and named in done.stderr, done.stderr


def test_the_standalone_verifier_takes_the_pub_files_keygen_wrote(mission):
    _db, tmp = mission
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(tmp / "day.json"), "--since",
                           str(tmp / "earlier.txt"), "--log-key", str(tmp / "log.key.pub"),
                           "--witness", str(tmp / "arm.key.pub")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("ok: "), done.stderr
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(tmp / "day.json"), "--log-key",
                           str(tmp / "missing.pub")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "neither a key file nor a verifier key" in done.stderr, done.stderr


def test_a_bundle_with_a_key_given_twice_is_refused_by_both_verifiers_naming_it(mission):
    _db, tmp = mission
    text = (tmp / "day.json").read_text()
    assert text.startswith("{")
    doubled = tmp / "doubled.json"
    doubled.write_text('{"date": "2020-10-13", ' + text[1:])  # json keeps the last: the day's own
    code, output = verify(tmp, doubled)
    assert code == 1 and "the key 'date' appears twice in one JSON object" in output, output
    assert len(output.strip().splitlines()) == 1, output
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(doubled),
                           "--log-key", (tmp / "log.key.pub").read_text().strip(),
                           "--witness", (tmp / "arm.key.pub").read_text().strip()],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "the key 'date' appears twice" in done.stderr, done.stderr


def test_a_stored_merkle_node_that_differs_is_named_and_no_checkpoint_or_bundle_is_written(mission, tmp_path):
    """A node a record's inclusion proof reads, altered in ledger_nodes: verify
    names it, `ledger checkpoint` signs nothing, and `export bundle` refuses
    to write a proof that its checkpoint would not verify."""
    from sqlalchemy import text as sql_text

    from truce.store.engine import make_engine
    from truce.store.merkle import node_key

    db, tmp = mission
    bundle = json.loads((tmp / "day.json").read_text())
    index = min(r["entry"]["seq"] for r in bundle["records"]) - 1
    sibling = node_key(1, (index >> 1) ^ 1)  # the level-1 node beside the record's pair: in its proof
    engine = make_engine(db)
    with engine.begin() as c:
        assert c.execute(sql_text(f"UPDATE ledger_nodes SET hash = zeroblob(32) WHERE key = {sibling}")).rowcount == 1
    engine.dispose()
    code, output = run("ledger", "verify", "--db", db)
    assert code == 1 and "the stored Merkle node at level 1, index" in output, output
    code, output = run("ledger", "checkpoint", "--db", db, "-o", str(tmp_path / "cp.txt"))
    assert code == 1 and "refusing to sign a checkpoint" in output, output
    assert not (tmp_path / "cp.txt").exists()
    out = tmp_path / "again.json"
    code, output = run("export", "bundle", "--date", DAY, "-o", str(out), "--db", db)
    assert code == 1 and "refusing to write the bundle" in output and "truce ledger verify" in output, output
    assert not out.exists()


def _signed_with_log_key(tmp: Path, size: int, root: bytes) -> Path:
    """A checkpoint of ``size`` entries and ``root``, signed with the mission's
    log key: what the log showed someone if it had another history."""
    from truce.service.checkpoints import load_key, sign
    from truce.verifier import Checkpoint

    signer = load_key(tmp / "log.key")
    path = tmp / f"fork-{size}.txt"
    path.write_text(sign(Checkpoint(signer.name, size, root, (), ()), signer).text)
    return path


def test_export_refuses_a_since_checkpoint_the_ledger_does_not_extend(mission):
    """A --since checkpoint of another history (signed by this log, with another
    root): the consistency proof is checked before writing, as the inclusion
    proofs are, and no bundle is written."""
    from truce.verifier import Checkpoint

    db, tmp = mission
    earlier = Checkpoint.parse((tmp / "earlier.txt").read_text())
    fork = _signed_with_log_key(tmp, earlier.size, bytes(32))
    out = tmp / "fork.json"
    code, output = run("export", "bundle", "--date", DAY, "--since", str(fork), "-o", str(out), "--db", db)
    assert code == 1 and not out.exists(), output
    assert (f"refusing to write the bundle: the consistency proof from the --since checkpoint ({earlier.size} "
            "entries) to the checkpoint of") in output, output
    assert "the ledger does not extend the checkpoint you gave" in output and "truce ledger verify" in output


def test_export_refuses_a_since_checkpoint_another_log_signed(mission):
    db, tmp = mission
    made = run("ledger", "keygen", "-o", str(tmp / "other.key"), "--name", "log.example/k")
    assert made[0] == 0, made[1]
    earlier = (tmp / "earlier.txt").read_text()
    other = tmp / "other-log.txt"
    from truce.service.checkpoints import load_key, sign
    from truce.verifier import Checkpoint

    note = Checkpoint.parse(earlier)
    other.write_text(sign(Checkpoint(note.origin, note.size, note.root, (), ()), load_key(tmp / "other.key")).text)
    code, output = run("export", "bundle", "--date", DAY, "--since", str(other), "-o", str(tmp / "x.json"),
                       "--db", db)
    assert code == 1 and not (tmp / "x.json").exists(), output
    assert "the --since checkpoint is not this log's" in output, output


def test_a_pinned_witness_with_no_cosignature_in_the_bundle_is_refused_by_both_verifiers(mission):
    """first.json was exported before any witness cosigned: pinning the witness
    must refuse it, naming the witness, not pass on the log's signature alone."""
    _db, tmp = mission
    first = tmp / "first.json"
    assert not json.loads(first.read_text())["witness_keys"]
    code, output = run("verify", str(first), "--log-key", str(tmp / "log.key.pub"),
                       "--witness", str(tmp / "arm.key.pub"))
    assert code == 1 and "arm.example/k" in output, output
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(first), "--log-key", str(tmp / "log.key.pub"),
                           "--witness", str(tmp / "arm.key.pub")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "arm.example/k" in done.stderr, done.stderr


def test_verify_names_a_since_checkpoint_of_another_log_by_its_origin(mission):
    _db, tmp = mission
    made = run("ledger", "keygen", "-o", str(tmp / "other.key"), "--name", "other.example/log")
    assert made[0] == 0, made[1]
    from truce.service.checkpoints import load_key, sign
    from truce.verifier import Checkpoint

    note = Checkpoint.parse((tmp / "earlier.txt").read_text())
    other = tmp / "other-log.txt"
    other.write_text(sign(Checkpoint("other.example/log", note.size, note.root, (), ()),
                          load_key(tmp / "other.key")).text)
    for args in ([], ["--log-key", str(tmp / "log.key.pub"), "--witness", str(tmp / "arm.key.pub")]):
        code, output = run("verify", str(tmp / "day.json"), "--since", str(other), *args)
        assert code == 1 and len(output.strip().splitlines()) == 1, output
        assert ("the --since checkpoint is another log's checkpoint: origin other.example/log, expected "
                "log.example/k") in output, output
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(tmp / "day.json"), "--since", str(other)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "another log's checkpoint: origin other.example/log" in done.stderr, done.stderr


def _other_log_key(b):
    from truce.verifier import ED25519, Verifier

    b["log_key"] = Verifier("log.example/k", ED25519, bytes(32)).vkey


def _other_witness_key(b):
    from truce.verifier import COSIGNATURE, Verifier

    b["witness_keys"] = [Verifier("arm.example/k", COSIGNATURE, bytes(32)).vkey]


@pytest.mark.parametrize(("change", "named"), [(_other_log_key, "the bundle's log_key log.example/k+"),
                                               (_other_witness_key, "the bundle's witness key arm.example/k+")],
                         ids=["log_key", "witness_keys"])
def test_a_carried_key_that_differs_from_a_pinned_one_is_refused_by_both_verifiers(mission, change, named):
    _db, tmp = mission
    tampered = _tampered(tmp, change)
    code, output = verify(tmp, tampered)
    assert code == 1 and named in output and "you pinned" in output, output
    assert len(output.strip().splitlines()) == 1, output
    done = subprocess.run([sys.executable, "-I", str(VERIFIER), str(tampered),
                           "--log-key", (tmp / "log.key.pub").read_text().strip(),
                           "--witness", (tmp / "arm.key.pub").read_text().strip()],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and named in done.stderr and "you pinned" in done.stderr, done.stderr
