"""A throwaway PostgreSQL + PostGIS server for the tests.

    server = start_postgres(tmp_dir)
    server.url                      # postgresql+psycopg://postgres@127.0.0.1:<port>/truce_test
    url = server.create_database("t_abc")   # fresh database with PostGIS
    server.stop()

The server runs from Debian's binaries (/usr/lib/postgresql/<major>/bin) on a
free TCP port on 127.0.0.1, with trust authentication and fsync off: it is for
tests only. As root, the server runs as the ``postgres`` system user (PostgreSQL
refuses to run as root). Nothing here imports pytest or a database driver:
SQL goes through the server's own ``psql``.

Run ``python tests/pgserver.py`` for a manual check.
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REMEDY = "run `make system-deps` (installs postgresql and postgresql-15-postgis-3)"
TEST_DB = "truce_test"
TEMPLATE_DB = "truce_template"
SERVER_USER = os.environ.get("TRUCE_PG_USER", "postgres")
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes; leave room for ".s.PGSQL.<port>"


def _version_key(bindir: str) -> tuple[int, ...]:
    m = re.search(r"/postgresql/(\d+)(?:\.(\d+))?/", bindir + "/")
    return tuple(int(x) for x in m.groups() if x) if m else (0,)


def _has_postgis(bindir: Path) -> bool:
    """Whether PostGIS is installed for the server in ``bindir``."""
    major = re.search(r"/postgresql/(\d+)/", str(bindir) + "/")
    candidates = []
    if major:
        candidates.append(Path(f"/usr/share/postgresql/{major.group(1)}/extension"))
    candidates.append(bindir.parent / "share" / "extension")
    candidates.append(bindir.parent / "share" / "postgresql" / "extension")
    pg_config = bindir / "pg_config"
    if pg_config.exists():
        try:
            share = subprocess.run(
                [str(pg_config), "--sharedir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            candidates.append(Path(share) / "extension")
        except (OSError, subprocess.CalledProcessError):
            pass
    return any((c / "postgis.control").exists() for c in candidates)


def find_bindir() -> Path:
    """The newest PostgreSQL bin dir with initdb, preferring one with PostGIS."""
    dirs: list[str] = []
    env = os.environ.get("TRUCE_PG_BINDIR")
    if env:
        dirs.append(env)
    dirs += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            dirs.append(
                subprocess.run(
                    [pg_config, "--bindir"], capture_output=True, text=True, check=True
                ).stdout.strip()
            )
        except (OSError, subprocess.CalledProcessError):
            pass
    found = [Path(d) for d in dict.fromkeys(dirs) if d and (Path(d) / "initdb").exists()]
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in "
            f"/usr/lib/postgresql/*/bin or `pg_config --bindir`; {REMEDY}"
        )
    if env and Path(env) in found:
        return Path(env)
    with_postgis = [d for d in found if _has_postgis(d)]
    if not with_postgis:
        raise RuntimeError(f"PostGIS is not installed for PostgreSQL in {found[0]}; {REMEDY}")
    return with_postgis[0]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_root() -> bool:
    return os.geteuid() == 0


def _ensure_server_user() -> None:
    import pwd

    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home",
             "--home-dir", "/var/lib/postgresql", "--shell", "/bin/sh", SERVER_USER],
            check=True,
        )


def _traversable_by_others(path: Path) -> bool:
    """Whether every directory from / down to ``path`` has o+x."""
    p = path.resolve()
    for d in [p, *p.parents]:
        if not d.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def _as_server_user(cmd: list[str]) -> list[str]:
    if not _is_root():
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", SERVER_USER, "--", *cmd]
    import shlex

    return ["su", "-s", "/bin/sh", SERVER_USER, "-c", shlex.join(cmd)]


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int
    host: str = "127.0.0.1"
    user: str = "postgres"
    _owned_root: bool = False
    _running: bool = field(default=False, repr=False)

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def sockdir(self) -> Path:
        return self.root / "sock"

    @property
    def logfile(self) -> Path:
        return self.root / "postgres.log"

    def url_for(self, dbname: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.user}@{self.host}:{self.port}/{dbname}"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the shared test database ``truce_test``."""
        return self.url_for(TEST_DB)

    @property
    def dsn(self) -> str:
        """Plain libpq URL of ``truce_test`` (for psycopg.connect)."""
        return self.url_for(TEST_DB, driver="postgresql")

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run SQL through the server's psql; return its unaligned output."""
        cmd = [
            str(self.bindir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", dbname, "-c", sql,
        ]
        r = subprocess.run(cmd, capture_output=True, text=True, env=_clean_env())
        if r.returncode != 0:
            raise RuntimeError(f"psql failed ({sql!r} on {dbname}): {r.stderr.strip()}")
        return r.stdout.strip()

    def create_database(self, name: str) -> str:
        """Create a fresh database ``name`` with PostGIS; return its SQLAlchemy URL."""
        if not _NAME_RE.match(name):
            raise ValueError(f"bad database name {name!r}: use [a-z_][a-z0-9_]*")
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        if not _NAME_RE.match(name):
            raise ValueError(f"bad database name {name!r}")
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._running:
            self._running = False
            subprocess.run(
                _as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.datadir),
                                 "-m", "immediate", "-w", "stop"]),
                capture_output=True, cwd=self.root, env=_clean_env(),
            )
        if self._owned_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _clean_env() -> dict[str, str]:
    # PG* variables from the caller's environment must not redirect psql/pg_ctl.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C.UTF-8"
    return env


def _run(cmd: list[str], cwd: Path, what: str, log: Path | None = None) -> None:
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=_clean_env())
    if r.returncode != 0:
        tail = ""
        if log is not None and log.exists():
            tail = "\n--- server log ---\n" + "\n".join(log.read_text().splitlines()[-30:])
        raise RuntimeError(
            f"{what} failed (exit {r.returncode}): {' '.join(cmd)}\n"
            f"{r.stdout.strip()}\n{r.stderr.strip()}{tail}"
        )


def start_postgres(base_dir: Path, attempts: int = 3) -> PostgresServer:
    """initdb + start a PostgreSQL server under ``base_dir``; create truce_test with PostGIS.

    ``base_dir`` must exist or be creatable. As root, if the postgres user cannot
    reach it (pytest's /tmp/pytest-of-root is 0700) or its socket path would be
    too long, the cluster goes into a fresh 0755 directory under /tmp instead,
    removed again by ``stop()``.
    """
    bindir = find_bindir()
    base_dir = Path(base_dir)
    base_dir.mkdir(parents=True, exist_ok=True)

    root = base_dir / "pg"
    owned = False
    too_long = len(str(root / "sock")) > _SOCKET_PATH_MAX
    if too_long or (_is_root() and not _traversable_by_others(base_dir)):
        root = Path(tempfile.mkdtemp(prefix="truce-pg-", dir="/tmp"))
        owned = True
    root.mkdir(parents=True, exist_ok=True)
    if _is_root():
        _ensure_server_user()
        os.chmod(root, 0o755)

    datadir, sockdir = root / "data", root / "sock"
    if datadir.exists():
        shutil.rmtree(datadir)
    sockdir.mkdir(exist_ok=True)
    if _is_root():
        shutil.chown(root, user=SERVER_USER)
        shutil.chown(sockdir, user=SERVER_USER)

    _run(
        _as_server_user([str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres",
                         "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]),
        cwd=root, what="initdb",
    )

    server: PostgresServer | None = None
    last_error: Exception | None = None
    for _ in range(attempts):
        port = _free_port()
        server = PostgresServer(bindir=bindir, root=root, port=port, _owned_root=owned)
        conf = (
            "\n# truce tests (tests/pgserver.py)\n"
            "listen_addresses = '127.0.0.1'\n"
            f"port = {port}\n"
            f"unix_socket_directories = '{sockdir}'\n"
            "fsync = off\n"
            "synchronous_commit = off\n"
            "full_page_writes = off\n"
            "max_connections = 200\n"
            "log_min_messages = warning\n"
        )
        auto = datadir / "postgresql.auto.conf"
        auto.write_text(conf)  # rewritten on each attempt; owned by the server user
        if _is_root():
            shutil.chown(auto, user=SERVER_USER)
        try:
            _run(
                _as_server_user([str(bindir / "pg_ctl"), "-D", str(datadir), "-l",
                                 str(server.logfile), "-w", "-t", "60", "start"]),
                cwd=root, what="pg_ctl start", log=server.logfile,
            )
            server._running = True
            break
        except RuntimeError as e:  # most likely the port was taken meanwhile
            last_error = e
            time.sleep(0.2)
    if server is None or not server._running:
        raise RuntimeError(f"could not start PostgreSQL: {last_error}")

    atexit.register(server.stop)
    try:
        if not server.psql("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"):
            raise RuntimeError(f"PostGIS is not available to the server in {bindir}; {REMEDY}")
        server.psql(f'CREATE DATABASE "{TEMPLATE_DB}"')
        server.psql("CREATE EXTENSION postgis", dbname=TEMPLATE_DB)
        server.psql(f'ALTER DATABASE "{TEMPLATE_DB}" WITH IS_TEMPLATE true')
        server.create_database(TEST_DB)
    except Exception:
        server.stop()
        raise
    return server


if __name__ == "__main__":  # manual check: python tests/pgserver.py
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        t0 = time.monotonic()
        srv = start_postgres(Path(d))
        print(f"started in {time.monotonic() - t0:.1f}s: {srv.url}")
        try:
            print(srv.psql("SELECT postgis_full_version()", dbname=TEST_DB))
            t0 = time.monotonic()
            print(srv.create_database("truce_extra"),
                  f"({time.monotonic() - t0:.2f}s)")
        finally:
            srv.stop()
        print("stopped")
