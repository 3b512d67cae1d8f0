"""A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp
dir, pg_ctl start on a Unix socket there (no TCP), stopped at the end.
initdb refuses to run as root, so as root the server runs as the `postgres`
system user, in a directory that user owns."""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


def server_binaries():
    """The newest /usr/lib/postgresql/*/bin, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


class PostgresServer:
    def __init__(self, port=54331):
        self.bin = server_binaries()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL server binaries in /usr/lib/postgresql")
        # Its own directory right under /tmp: the server user can reach it (a
        # test's tmp_path is private to root) and the socket path stays short.
        self.dir = Path(tempfile.mkdtemp(prefix="iree-suite-pg-"))
        self.port = port
        self.prefix = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.run("initdb", "-D", self.dir / "data", "-A", "trust", "-U", "postgres", "--no-sync")
        self.run("pg_ctl", "-D", self.dir / "data", "-w", "-l", self.dir / "log", "-o",
                 f"-k {self.dir} -p {port} -c listen_addresses= -c fsync=off", "start")
        self.uri = f"postgresql:///postgres?host={self.dir}&port={port}&user=postgres"

    def run(self, tool, *args):
        subprocess.run(self.prefix + [str(self.bin / tool), *map(str, args)], check=True,
                       stdout=subprocess.DEVNULL, cwd="/")

    def query(self, *statements):
        """Each statement's rows, as psql -At prints them."""
        argv = [str(self.bin / "psql"), "-h", str(self.dir), "-p", str(self.port), "-U",
                "postgres", "-At"]
        for statement in statements:
            argv += ["-c", statement]
        out = subprocess.run(self.prefix + argv, capture_output=True, text=True, check=True,
                             cwd="/")
        return out.stdout.split()

    def stop(self):
        try:
            self.run("pg_ctl", "-D", self.dir / "data", "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
