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
        self.uri = self.uri_for("postgres")

    def uri_for(self, database):
        return f"postgresql:///{database}?host={self.dir}&port={self.port}&user=postgres"

    def cpu_seconds(self):
        """CPU seconds (user + sys) the server has used: its processes now,
        and the connections that ended (the postmaster reaped them)."""
        postmaster = (self.dir / "data" / "postmaster.pid").read_text().split()[0]
        ticks = 0
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if entry.name == postmaster:
                ticks += sum(int(f) for f in fields[11:15])  # its own and its reaped children's
            elif fields[1] == postmaster:
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def run(self, tool, *args):
        subprocess.run(self.prefix + [str(self.bin / tool), *map(str, args)], check=True,
                       stdout=subprocess.DEVNULL, cwd="/")

    def query(self, *statements, database="postgres"):
        """Each statement's rows, as psql -At prints them."""
        argv = [str(self.bin / "psql"), "-h", str(self.dir), "-p", str(self.port), "-U",
                "postgres", "-d", database, "-At"]
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
