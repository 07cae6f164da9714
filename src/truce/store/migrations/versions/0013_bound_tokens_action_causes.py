"""Token hashes bound to their user; action entries name their transaction.

1. Each users row's token hash becomes ``hmac-sha256-user$``: the HMAC,
   under the token key, of the user's id and the token's own digest
   (``truce.service.tokens``), so a hash copied onto another user's row no
   longer verifies there. A hash stored before (``hmac-sha256$``: the
   digest alone) is bound here, without any token, when the token key is
   found where the server looks for it (TRUCE_TOKEN_KEY_FILE, or beside a
   SQLite file). Rows it cannot bind (no key here, or argon2 hashes of the
   oldest versions) keep working once and are bound on their first
   successful use, ledgered as ``user.token.bind``; `truce ledger verify`
   names a binding of a hash the ledger never held for that user.
2. Every action entry's ``cause`` names the first action entry of its
   transaction (``store.causes``), so verify can say which transaction a row
   entry follows and name one pointing at another's action. Entries written
   before are linked by their rows: those from a row entry's cause up to it
   are its transaction's; each other one opens its own.

The users rows changed are ledgered afresh (``schema 0013``).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from truce.store import causes, row_ledger

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _token_key(connection) -> bytes | None:
    from truce.domain.exceptions import ValidationError
    from truce.service.tokens import load_token_key, token_key_path
    from truce.settings import get_settings

    url = connection.engine.url.render_as_string(hide_password=False)
    path = token_key_path(url, get_settings().token_key_file)
    if not path.exists():
        return None
    try:
        return load_token_key(path, create=False)
    except ValidationError:
        return None


def _bind_tokens(connection) -> int:
    from truce.service.tokens import UNBOUND, bind_hash

    users = sa.table("users", sa.column("id", sa.String), sa.column("token_hash", sa.Text))
    rows = connection.execute(sa.select(users.c.id, users.c.token_hash)).all()
    unbound = [(user_id, stored) for user_id, stored in rows if stored.startswith(UNBOUND)]
    if not unbound:
        return 0
    key = _token_key(connection)
    if key is None:
        return 0  # bound on first use (service.users.bind_token)
    for user_id, stored in unbound:
        connection.execute(users.update().where(users.c.id == user_id, users.c.token_hash == stored)
                           .values(token_hash=bind_hash(stored, key, user_id)))
    return len(unbound)


def upgrade() -> None:
    connection = op.get_bind()
    causes.link_actions(connection)
    if _bind_tokens(connection):
        row_ledger.ledger_existing_rows(connection, actor="schema 0013", only=["users"])


def downgrade() -> None:
    # a bound hash cannot be unbound: tokens issued since keep their bound hashes,
    # which an older version refuses (issue new tokens after downgrading)
    op.execute("UPDATE ledger SET cause = NULL WHERE action NOT LIKE 'row.%'")
